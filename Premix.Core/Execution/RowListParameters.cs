using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>
/// Binds one many-row statement (<see cref="RowListStatements"/>): for each segment in turn, each entity's values of the
/// segment's bindings, under positional placeholders (no name for the driver to look up per value).
/// </summary>
internal sealed class RowListParameters(RowListStatements statements, IReadOnlyList<object> entities) : IBatchParameters
{
    public void AddTo(DbCommand command) => Add(command.Parameters, command.CreateParameter);

    /// <summary>The same for one statement of a batch.</summary>
    public void AddTo(DbBatchCommand command) => Add(command.Parameters, command.CreateParameter);

    /// <summary>Each column's values as <see cref="ArrayParameters"/> shows them, with sensitive columns masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe() => new ArrayParameters(Distinct(), entities).Describe();

    /// <summary>The values of sensitive columns, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues()
    {
        var bindings = Distinct();
        return entities.SelectMany(e => EntityParameters.SensitiveValues(bindings, e));
    }

    private void Add(DbParameterCollection parameters, Func<DbParameter> create)
    {
        foreach (var segment in statements.Segments)
        {
            for (var row = 0; row < entities.Count; row++)
            {
                var entity = entities[row];
                for (var column = 0; column < segment.Length; column++)
                {
                    segment[column].AddPositional(parameters, create(), segment[column].ReadFrom(entity));
                }
            }
        }
    }

    // Each binding once (an UPDATE names the key in every segment).
    private ParameterBinding[] Distinct() => [.. statements.Segments.SelectMany(s => s).Distinct()];
}
