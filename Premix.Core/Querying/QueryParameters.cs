using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Premix.Execution;

namespace Premix.Querying;

/// <summary>
/// The parameters of one query call. A list (<see cref="ListValue"/>) is one parameter where the dialect binds lists, and
/// is otherwise expanded into one parameter per element (<c>IN @p0</c> becomes <c>IN (@p0_0, @p0_1)</c>); values of
/// sensitive columns are remembered so logs and messages mask them.
/// </summary>
internal sealed class QueryParameters : IStatementParameters
{
    // An empty set every engine accepts, so x IN () is false and NOT (x IN ()) is true, as in C#.
    private const string EmptySet = "(SELECT NULL FROM (SELECT 1 AS one) AS empty_set WHERE 1 = 0)";

    private readonly List<(string Name, object? Value, bool Sensitive, Action<IDbDataParameter>? SetUp)> _parameters;

    /// <param name="capacity">How many parameters the query binds: a list grown from empty holds four entries (128 bytes) where a first row by email binds two.</param>
    public QueryParameters(int capacity = 0) => _parameters = new(capacity);

    /// <summary>Adds a value; <paramref name="name"/> is the placeholder as the SQL writes it, with its <c>@</c>.</summary>
    public void Add(string name, object? value, bool sensitive, Action<IDbDataParameter>? setUp = null) => _parameters.Add((name, value, sensitive, setUp));

    public void AddTo(DbCommand command)
    {
        foreach (var (name, value, _, setUp) in _parameters)
        {
            if (value is ListValue { Bound: null, Placeholders: { } names, ExpandedSql: { } expanded } written)
            {
                command.CommandText = expanded;
                for (var i = 0; i < written.Values.Count; i++)
                {
                    Add(command, names[i], written.Values[i]);
                }
            }
            else if (value is ListValue { Bound: null } list)
            {
                var placeholders = new string[list.Values.Count];
                for (var i = 0; i < placeholders.Length; i++)
                {
                    placeholders[i] = name + "_" + i.ToString(CultureInfo.InvariantCulture);
                    Add(command, placeholders[i], list.Values[i]);
                }

                var expansion = placeholders.Length == 0 ? EmptySet : "(" + string.Join(", ", placeholders) + ")";
                command.CommandText = Regex.Replace(command.CommandText, name + @"\b", expansion, RegexOptions.CultureInvariant);
            }
            else if (value is ListValue bound)
            {
                var parameter = Add(command, name, bound.Bound);
                bound.Condition!.ParameterSetup?.Invoke(parameter);
            }
            else
            {
                var parameter = Add(command, name, value);
                setUp?.Invoke(parameter);
            }
        }
    }

    /// <summary>Pairs of name and value for logs: a sensitive value as the mask, a list as its first values and its length.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe() =>
        _parameters.Select(p => new KeyValuePair<string, object?>(p.Name[1..], p.Sensitive ? SensitiveData.Mask : p.Value is ListValue list ? ParameterDescription.Values(list.Values) : p.Value));

    public IEnumerable<string> SensitiveValues() =>
        _parameters.Where(p => p.Sensitive).SelectMany(p => p.Value is ListValue list ? list.Values : (IEnumerable<object?>)[p.Value])
            .Select(v => v?.ToString() ?? string.Empty).Where(v => v.Length > 0);

    private static IDbDataParameter Add(IDbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
