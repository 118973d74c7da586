namespace Premix;

/// <summary>A strict <c>Raw(...)</c> query returned columns that match no property or constructor parameter of the target type.</summary>
public sealed class RawMappingException : PremixException
{
    /// <summary>Creates the exception listing the unmatched columns.</summary>
    public RawMappingException(Type target, IReadOnlyList<string> unmatchedColumns, string sql)
        : base($"The query returned column{(unmatchedColumns?.Count == 1 ? string.Empty : "s")} {string.Join(", ", unmatchedColumns!.Select(c => $"'{c}'"))} that match no settable property or constructor parameter of {target?.Name}. Alias the column (AS \"PropertyName\"), add the property, or drop the column from the query.{Environment.NewLine}SQL: {sql}")
    {
        Target = target!;
        UnmatchedColumns = unmatchedColumns!;
    }

    /// <summary>The type the rows were mapped onto.</summary>
    public Type Target { get; }

    /// <summary>The columns that fit nothing.</summary>
    public IReadOnlyList<string> UnmatchedColumns { get; }
}
