using System.Data.Common;

namespace Premix.Providers;

/// <summary>
/// Lays chosen connection settings over a connection string, except those the connection string names itself (under
/// any of their spellings): those are kept, and reported in <see cref="Kept"/>. Used by providers at startup.
/// </summary>
public sealed class ConnectionStringTuner
{
    private readonly HashSet<string> _named;
    private readonly List<string> _kept = [];

    /// <summary>Reads which keywords <paramref name="connectionString"/> names.</summary>
    public ConnectionStringTuner(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        _named = parsed.Keys.Cast<string>().Select(Normalize).ToHashSet();
    }

    /// <summary>The settings the connection string named, by their first spelling given to <see cref="Choose{T}"/>.</summary>
    public IReadOnlyList<string> Kept => _kept;

    /// <summary>
    /// Returns the connection string's own value (<paramref name="current"/>) when it names the setting under one of
    /// <paramref name="keywords"/>; otherwise applies <paramref name="chosen"/> with <paramref name="apply"/> and returns it.
    /// </summary>
    public T Choose<T>(IReadOnlyList<string> keywords, T chosen, Func<T> current, Action<T> apply)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(apply);
        if (NamesAny(keywords))
        {
            _kept.Add(keywords[0]);
            return current();
        }

        apply(chosen);
        return chosen;
    }

    // Not a lambda inside Choose: that would be generic over T too, and a provider's Choose<int> is compiled in the
    // provider's assembly, outside Premix.Core's ReadyToRun image, so each such closure was JIT-compiled at every start.
    private bool NamesAny(IReadOnlyList<string> keywords)
    {
        for (var i = 0; i < keywords.Count; i++) // an index loop: foreach over the interface boxes an enumerator
        {
            if (_named.Contains(Normalize(keywords[i])))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string keyword) => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
