using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>
/// The parameters of a bulk insert's statements: the number of rows (<c>@rows</c>, for the query that takes their keys)
/// and nothing else. The rows' values travel through the driver's bulk channel and are never logged; the sensitive ones
/// are still scrubbed from the driver's messages.
/// </summary>
internal sealed class BulkRowsParameters(int rows, IReadOnlyList<ParameterBinding> bindings, IReadOnlyList<object> entities) : IStatementParameters
{
    public void AddTo(DbCommand command)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "rows";
        parameter.Value = rows;
        command.Parameters.Add(parameter);
    }

    public IEnumerable<KeyValuePair<string, object?>> Describe() => [new("rows", rows)];

    public IEnumerable<string> SensitiveValues() => entities.SelectMany(e => EntityParameters.SensitiveValues(bindings, e));
}
