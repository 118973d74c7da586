using System.Data.Common;
using Dapper;
using Premix.Execution;

namespace Premix;

/// <summary>
/// The arguments of a raw statement: bound by Dapper exactly as it binds an arguments object (lists expanded for
/// <c>IN @ids</c>), with the names marked sensitive shown as <c>***</c> in logs and scrubbed from error messages.
/// </summary>
internal sealed class RawArguments(object? arguments, IReadOnlySet<string> sensitiveNames) : IStatementParameters
{
    public void AddTo(DbCommand command)
    {
        if (arguments is not null)
        {
            (arguments as DynamicParameters ?? new DynamicParameters(arguments)).AddParameters(command);
        }
    }

    /// <summary>Pairs of name and value for logs, with the sensitive ones masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe() =>
        Arguments().Select(p => new KeyValuePair<string, object?>(p.Key, IsSensitive(p.Key) ? SensitiveData.Mask : p.Value));

    /// <summary>The values of the sensitive arguments (each item of a list too), so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues() => Arguments()
        .Where(p => IsSensitive(p.Key))
        .SelectMany(p => p.Value is System.Collections.IEnumerable list and not string and not byte[] ? list.Cast<object?>() : [p.Value])
        .Select(v => v?.ToString() ?? string.Empty)
        .Where(v => v.Length > 0);

    private bool IsSensitive(string name) => sensitiveNames.Count > 0 && sensitiveNames.Contains(name.TrimStart('@', ':', '$'));

    // Read only for logs, errors and the recording fake (Premix.Testing), never to bind: reflection is fine here.
    internal IEnumerable<KeyValuePair<string, object?>> Arguments() => arguments switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        DynamicParameters dynamic => dynamic.ParameterNames.Select(n => new KeyValuePair<string, object?>(n, dynamic.Get<object?>(n))),
        _ => arguments.GetType().GetProperties().Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(arguments))),
    };
}
