namespace Premix.Migrations;

/// <summary>The changes between the mapping and a live database, and the DDL that makes them.</summary>
public sealed class SchemaDiff
{
    internal SchemaDiff(IReadOnlyList<SchemaOperation> operations, IReadOnlyList<string> statements, IReadOnlyList<(SchemaOperation Operation, string Reason)> destructive, IReadOnlyList<UnmappedIndex> unmappedIndexes, IReadOnlyList<UnmappedForeignKey> unmappedForeignKeys, string? mismatchWarning = null)
    {
        MismatchWarning = mismatchWarning;
        Operations = operations;
        Statements = statements;
        Destructive = destructive;
        UnmappedIndexes = unmappedIndexes;
        UnmappedForeignKeys = unmappedForeignKeys;
    }

    /// <summary>The operations, in the order they run.</summary>
    public IReadOnlyList<SchemaOperation> Operations { get; }

    /// <summary>The DDL statements, in the order they run.</summary>
    public IReadOnlyList<string> Statements { get; }

    /// <summary>The operations that can lose data, each with why (including data checks made against the database).</summary>
    public IReadOnlyList<(SchemaOperation Operation, string Reason)> Destructive { get; }

    /// <summary>
    /// The operations that can lose data or fail on a database that holds rows, each with why, judged from the changes
    /// alone: what a migration generated from this diff must warn about, whatever rows this database happens to hold.
    /// </summary>
    public IReadOnlyList<(SchemaOperation Operation, string Reason)> RisksWithRows =>
        Operations.Where(o => o.RiskWithRows is not null).Select(o => (o, o.RiskWithRows!)).ToList();

    /// <summary>
    /// For information: the indexes of mapped tables that the mapping does not name, which the diff leaves alone (and
    /// which do not make it differ); empty when <see cref="SyncOptions.DropUnmappedIndexes"/> drops them.
    /// </summary>
    public IReadOnlyList<UnmappedIndex> UnmappedIndexes { get; }

    /// <summary>
    /// For information: the foreign keys of mapped tables over columns no relation of the mapping uses, which the diff
    /// leaves alone (and which do not make it differ); empty when <see cref="SyncOptions.DropUnmappedForeignKeys"/> drops them.
    /// </summary>
    public IReadOnlyList<UnmappedForeignKey> UnmappedForeignKeys { get; }

    /// <summary>
    /// Why the mapping and the database seem not to describe the same tables, or <see langword="null"/>: mapped names that
    /// the database spells otherwise (the naming convention does not match the database's), or no mapped table in a
    /// database that holds others (the connection names another database). Such a diff re-creates tables beside the
    /// existing ones; look before applying it.
    /// </summary>
    public string? MismatchWarning { get; }

    /// <summary>Whether the schema already matches the mapping (unmapped indexes and foreign keys do not count).</summary>
    public bool IsEmpty => Operations.Count == 0;

    /// <summary>The statements as a script, each ending with a semicolon, one per line.</summary>
    public string ToSql() => string.Concat(Statements.Select(s => s + ";" + Environment.NewLine));

    /// <inheritdoc />
    public override string ToString() => IsEmpty ? "(no changes)" : string.Join(Environment.NewLine, Operations.Select(o => o.Description));
}
