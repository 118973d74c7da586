namespace Premix.Plans;

/// <summary>One compiled SQL statement of a plan: its text and the parameters it binds, built once at startup.</summary>
public sealed class SqlStatement
{
    internal SqlStatement(string name, string sql, IReadOnlyList<ParameterBinding> parameters)
    {
        Name = name;
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary>What the statement does (<c>Insert</c>, <c>SelectByKey</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The SQL text sent to the database.</summary>
    public string Sql { get; }

    /// <summary>The names of the parameters it binds, in order.</summary>
    public IEnumerable<string> ParameterNames => Parameters.Select(p => p.Name);

    internal IReadOnlyList<ParameterBinding> Parameters { get; }

    /// <summary>The SQL text, exactly as it is sent.</summary>
    public string ToSql() => Sql;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Sql}";
}
