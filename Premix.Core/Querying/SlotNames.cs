using System.Globalization;

namespace Premix.Querying;

/// <summary>
/// The parameter names of query values (<c>@p0</c>, <c>@p1</c>, ...), made once instead of on every call. The prefix is part
/// of the name so drivers match it to the placeholder directly (Microsoft.Data.Sqlite otherwise retries each prefix).
/// </summary>
internal static class SlotNames
{
    private static readonly string[] Cached = Enumerable.Range(0, 64).Select(Name).ToArray();

    public static string Of(int slot) => slot < Cached.Length ? Cached[slot] : Name(slot);

    private static string Name(int slot) => "@p" + slot.ToString(CultureInfo.InvariantCulture);
}
