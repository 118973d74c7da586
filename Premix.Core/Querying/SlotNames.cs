using System.Globalization;
using System.Runtime.CompilerServices;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// The parameter names of query values (<c>@p0</c>, <c>@p1</c>, ...), made once instead of on every call. The prefix is part
/// of the placeholder; what a parameter is bound under is the dialect's choice (<see cref="Bound"/>).
/// </summary>
internal static class SlotNames
{
    private const int CachedSlots = 64;

    private static readonly string[] Cached = Enumerable.Range(0, CachedSlots).Select(Name).ToArray();

    // One set of bound names per dialect, made when its first query is compiled.
    private static readonly ConditionalWeakTable<ISqlDialect, BoundNames> ByDialect = [];

    /// <summary>The placeholder of a slot, with its <c>@</c>, as the SQL writes it.</summary>
    public static string Of(int slot) => slot < Cached.Length ? Cached[slot] : Name(slot);

    /// <summary>
    /// The names <paramref name="dialect"/> binds query values and paging under (<see cref="ISqlDialect.ParameterName"/>):
    /// without the prefix on Npgsql and MySqlConnector, which otherwise cut it off into a new string per parameter and call;
    /// with it on Microsoft.Data.Sqlite, which otherwise retries each prefix.
    /// </summary>
    public static BoundNames Bound(ISqlDialect dialect) => ByDialect.GetValue(dialect, static d => new BoundNames(d));

    private static string Name(int slot) => "@p" + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>A dialect's bound names of the first slots and of the paging values.</summary>
    internal sealed class BoundNames
    {
        private readonly ISqlDialect _dialect;
        private readonly string[] _slots;

        public BoundNames(ISqlDialect dialect)
        {
            _dialect = dialect;
            _slots = Cached.Select(placeholder => dialect.ParameterName(placeholder[1..])).ToArray();
            Skip = dialect.ParameterName("__skip");
            Take = dialect.ParameterName("__take");
        }

        /// <summary>The bound name of <c>@__skip</c>.</summary>
        public string Skip { get; }

        /// <summary>The bound name of <c>@__take</c>.</summary>
        public string Take { get; }

        /// <summary>The bound name of slot <paramref name="slot"/>'s placeholder.</summary>
        public string Of(int slot) => slot < _slots.Length ? _slots[slot] : _dialect.ParameterName(SlotNames.Of(slot)[1..]);
    }
}
