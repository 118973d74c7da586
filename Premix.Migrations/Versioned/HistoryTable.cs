using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>
/// The history table of versioned migrations, described once (its columns and their types, as a mapping) and rendered
/// by each engine's <see cref="SchemaDialect"/> like any mapped table, so no provider writes its own <c>CREATE TABLE</c>.
/// </summary>
internal static class HistoryTable
{
    /// <summary>A <c>CREATE TABLE IF NOT EXISTS</c> for the history table <paramref name="table"/> as <paramref name="dialect"/> spells it.</summary>
    public static string CreateSql(SchemaDialect dialect, string table)
    {
        var model = new ModelBuilder().Add(new Map(table)).Build();
        return dialect.CreateTableIfNotExistsSql(DesiredSchema.From(model, dialect).Tables[0]);
    }

    /// <summary>One migration: its version (the file's 14-digit timestamp), name, checksum, when it ran, how long, and whether it succeeded.</summary>
    private sealed class Entry
    {
        public long Version { get; set; }

        public string Name { get; set; } = string.Empty;

        public string Checksum { get; set; } = string.Empty;

        public DateTime AppliedAt { get; set; }

        public long DurationMs { get; set; }

        public bool Success { get; set; }
    }

    private sealed class Map(string table) : ModelConfiguration<Entry>
    {
        public override void Configure(EntityBuilder<Entry> e)
        {
            e.ToTable(table);
            e.HasKey(h => h.Version).IsClientAssigned();
            e.Property(h => h.Version).HasColumnName("version");
            e.Property(h => h.Name).HasColumnName("name").IsRequired().HasMaxLength(200);
            e.Property(h => h.Checksum).HasColumnName("checksum").IsRequired().HasMaxLength(64); // SHA-256 in hex
            e.Property(h => h.AppliedAt).HasColumnName("applied_at").StoredAsUtc();
            e.Property(h => h.DurationMs).HasColumnName("duration_ms");
            e.Property(h => h.Success).HasColumnName("success");
        }
    }
}
