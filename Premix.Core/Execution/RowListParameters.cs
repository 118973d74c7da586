using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>
/// Binds a many-row INSERT (<see cref="Providers.IRowListInsertDialect"/>): each entity's values, row by row, under the
/// statement's numbered placeholders.
/// </summary>
internal sealed class RowListParameters(RowListInserts inserts, IReadOnlyList<object> entities) : IStatementParameters
{
    public void AddTo(DbCommand command)
    {
        var bindings = inserts.Bindings;
        for (var row = 0; row < entities.Count; row++)
        {
            for (var column = 0; column < bindings.Count; column++)
            {
                bindings[column].AddTo(command, bindings[column].ReadFrom(entities[row]), inserts.ParameterName((row * bindings.Count) + column));
            }
        }
    }

    /// <summary>Each column's values as <see cref="ArrayParameters"/> shows them, with sensitive columns masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe() => new ArrayParameters(inserts.Bindings, entities).Describe();

    /// <summary>The values of sensitive columns, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues() => entities.SelectMany(e => EntityParameters.SensitiveValues(inserts.Bindings, e));
}
