using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Dapper;
using Premix.Execution;

namespace Premix;

/// <summary>
/// The arguments of a raw statement: bound by Dapper exactly as it binds an arguments object (lists expanded for
/// <c>IN @ids</c>), with the names marked sensitive shown as <c>***</c> in logs and scrubbed from error messages.
/// </summary>
internal sealed class RawArguments(object? arguments, IReadOnlySet<string> sensitiveNames) : IStatementParameters
{
    /// <summary>The caller's text: its placeholders are the driver's to read.</summary>
    public bool TextIsReused => false;

    public void AddTo(DbCommand command)
    {
        if (arguments is not null)
        {
            (arguments as DynamicParameters ?? new DynamicParameters(Bindable(arguments))).AddParameters(command);
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
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only describes the arguments for logs and messages: a property the trimmer removed is missing from the description, never bound or read wrongly; native AOT refuses such an object before it is bound (Bindable).")]
    internal IEnumerable<KeyValuePair<string, object?>> Arguments() => arguments switch
    {
        null => [],
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        DynamicParameters dynamic => dynamic.ParameterNames.Select(n => new KeyValuePair<string, object?>(n, dynamic.Get<object?>(n))),
        _ => arguments.GetType().GetProperties().Select(p => new KeyValuePair<string, object?>(p.Name, p.GetValue(arguments))),
    };

    // Dapper binds a dictionary of values as it is, and an object's properties with code it generates at run time, which
    // native AOT cannot run: there such an object is refused before anything is sent, naming the forms that work.
    private static object Bindable(object arguments) =>
        arguments is IEnumerable<KeyValuePair<string, object?>> || RuntimeFeature.IsDynamicCodeSupported
            ? arguments
            : throw new NotSupportedException(
                $"Raw(sql, args) binds the properties of an arguments object ({arguments.GetType().Name}) with code Dapper generates at run time, which native AOT cannot run. "
                + "Write the statement as an interpolated string, Raw($\"... WHERE id = {id}\"), whose holes become parameters, or pass the arguments as a Dictionary<string, object?> (docs/aot.md, Native AOT).");
}
