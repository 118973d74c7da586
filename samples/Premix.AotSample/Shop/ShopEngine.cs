namespace AotShop;

/// <summary>The engine the shop runs on (<c>Premix:shop:Provider</c>): it picks the generated model and the SQL naming the server.</summary>
internal enum ShopEngine
{
    Sqlite,
    PostgreSql,
    MySql,
}

/// <summary>Reads a <see cref="ShopEngine"/> from configuration.</summary>
internal static class ShopEngines
{
    /// <summary><paramref name="name"/> as an engine, ignoring case; SQLite when unset or unknown (appsettings.json's default).</summary>
    public static ShopEngine Parse(string? name) => Enum.TryParse<ShopEngine>(name, ignoreCase: true, out var engine) ? engine : ShopEngine.Sqlite;
}
