namespace Premix;

/// <summary>A masked parameter in a <see cref="RawSql"/> hole; made by <see cref="RawSql.Sensitive{T}(T)"/>.</summary>
public sealed class RawSqlSensitive
{
    internal RawSqlSensitive(object? value) => Value = value;

    internal object? Value { get; }

    /// <summary>Never the value: <c>***</c>.</summary>
    public override string ToString() => Execution.SensitiveData.Mask;
}
