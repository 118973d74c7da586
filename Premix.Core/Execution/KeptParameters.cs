using System.Data.Common;

namespace Premix.Execution;

/// <summary>How a kept parameter is set again (<see cref="IStatementParameters.SetValuesOn"/>).</summary>
internal static class KeptParameters
{
    /// <summary>
    /// Sets <paramref name="value"/> on <paramref name="parameters"/>[<paramref name="at"/>] and moves past it, when that
    /// parameter is there and was bound under <paramref name="name"/> (a positional one has no name left to compare).
    /// </summary>
    public static bool Set(DbParameterCollection parameters, ref int at, string name, object value)
    {
        if (at >= parameters.Count)
        {
            return false;
        }

        var parameter = parameters[at];
        if (parameter.ParameterName is { Length: > 0 } bound && !string.Equals(bound, name, StringComparison.Ordinal))
        {
            return false;
        }

        parameter.Value = value;
        at++;
        return true;
    }
}
