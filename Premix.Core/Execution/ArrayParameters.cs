using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>
/// Binds a many-row statement (<see cref="Providers.IArrayWriteDialect"/>): one array parameter per column, holding that
/// column's value for each entity, in the entities' order.
/// </summary>
internal sealed class ArrayParameters(IReadOnlyList<ParameterBinding> bindings, IReadOnlyList<object> entities) : IStatementParameters
{
    /// <summary>How many values of an array a log line shows before it says how many there are.</summary>
    private const int ValuesLogged = 10;

    public void AddTo(DbCommand command)
    {
        foreach (var binding in bindings)
        {
            binding.AddArrayTo(command, entities);
        }
    }

    /// <summary>Pairs of name and a short rendering of the values for logs, with sensitive columns masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe()
    {
        foreach (var binding in bindings)
        {
            var shown = entities.Take(ValuesLogged).Select(e => ParameterDescription.Format(binding.IsSensitive ? SensitiveData.Mask : binding.ReadFrom(e)));
            var more = entities.Count > ValuesLogged ? $", … ({entities.Count} values)" : string.Empty;
            yield return new(binding.Name, new ParameterDescription.Verbatim($"[{string.Join(", ", shown)}{more}]"));
        }
    }

    /// <summary>The values of sensitive columns, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues() => entities.SelectMany(e => EntityParameters.SensitiveValues(bindings, e));
}
