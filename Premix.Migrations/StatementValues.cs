using System.Collections;
using System.Data.Common;
using Dapper;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>The named values of a schema or history statement (<c>@name</c> placeholders), none of them sensitive.</summary>
/// <remarks>
/// A list value is bound as Dapper binds it, so catalog queries keep the text they were written with: an array
/// parameter where the engine has arrays (PostgreSQL's <c>= ANY(@oids)</c>), else <c>IN @schemas</c> expanded to one
/// parameter per item (MySQL).
/// </remarks>
internal sealed class StatementValues(params (string Name, object Value)[] values) : IStatementParameters
{
    public void AddTo(DbCommand command)
    {
        foreach (var (name, value) in values)
        {
            if (value is IEnumerable list and not (string or byte[]))
            {
                // Dapper's own binding of a list, as QueryAsync did it before these queries ran through the executor.
#pragma warning disable CS0618 // Public and stable; marked "for internal use" as Dapper's plumbing.
                SqlMapper.PackListParameters(command, name, list);
#pragma warning restore CS0618
                continue;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }

    public IEnumerable<KeyValuePair<string, object?>> Describe() =>
        values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value is IEnumerable list and not (string or byte[]) ? ParameterDescription.Values(list.Cast<object>().ToList()) : v.Value));

    public IEnumerable<string> SensitiveValues() => [];
}
