using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>The named values of a schema or history statement (<c>@name</c> placeholders), none of them sensitive.</summary>
internal sealed class StatementValues(params (string Name, object Value)[] values) : IStatementParameters
{
    public void AddTo(DbCommand command)
    {
        foreach (var (name, value) in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    public IEnumerable<KeyValuePair<string, object?>> Describe() => values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value));

    public IEnumerable<string> SensitiveValues() => [];
}
