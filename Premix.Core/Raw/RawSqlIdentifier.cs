namespace Premix;

/// <summary>A quoted name in a <see cref="RawSql"/> hole; made by <see cref="RawSql.Identifier(string[])"/>.</summary>
public sealed class RawSqlIdentifier
{
    internal RawSqlIdentifier(IReadOnlyList<string> parts) => Parts = parts;

    /// <summary>The name's parts, as given (schema, table, column).</summary>
    public IReadOnlyList<string> Parts { get; }

    /// <inheritdoc />
    public override string ToString() => string.Join('.', Parts);
}
