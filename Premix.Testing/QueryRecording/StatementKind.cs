namespace Premix.Testing;

/// <summary>What a recorded statement does, read from the SQL keyword it starts with.</summary>
public enum StatementKind
{
    /// <summary>A <c>SELECT</c>: a repository read, a query, an Include's relation, a read-only raw statement.</summary>
    Select,

    /// <summary>An <c>INSERT</c> (an upsert too).</summary>
    Insert,

    /// <summary>An <c>UPDATE</c> (a soft delete too: it sets the marker).</summary>
    Update,

    /// <summary>A <c>DELETE</c>.</summary>
    Delete,

    /// <summary>Anything else: schema statements, <c>WITH</c>, engine commands.</summary>
    Other,
}
