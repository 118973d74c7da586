namespace Premix.Providers;

/// <summary>Which database a provider talks to, as traces name it (<c>db.namespace</c>, <c>server.address</c>, <c>server.port</c>).</summary>
/// <param name="Namespace">The database name (or file, for SQLite).</param>
/// <param name="ServerAddress">The host, or <see langword="null"/> for an in-process database.</param>
/// <param name="ServerPort">The port, or <see langword="null"/>.</param>
public sealed record DatabaseTarget(string? Namespace, string? ServerAddress, int? ServerPort)
{
    /// <summary>Nothing known.</summary>
    public static DatabaseTarget Unknown { get; } = new(null, null, null);
}
