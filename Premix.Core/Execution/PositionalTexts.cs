using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// The positional text of each statement Premix writes, for a dialect whose driver parses named placeholders at every run
/// (<see cref="IPositionalPlaceholders"/>): worked out on the statement's first run from the names its parameters were
/// bound under, kept as long as its text lives, and used while a run binds the same names in the same order. One per
/// dialect type, shared by every database of that engine (each tenant's, each replica's), since a form depends only on
/// the text and the names.
/// </summary>
/// <remarks>
/// A command kept on a held connection (<see cref="HeldCommands"/>) keeps its positional text and its unnamed parameters:
/// the next read of the statement there only sets their values.
/// </remarks>
internal sealed class PositionalTexts
{
    private static readonly ConcurrentDictionary<Type, PositionalTexts> ByDialect = new();

    private readonly IPositionalPlaceholders _dialect;

    // Keyed by the text's reference: a plan's or a translated query's text is one string for as long as it is used.
    private readonly ConditionalWeakTable<string, Form> _forms = new();

    private PositionalTexts(IPositionalPlaceholders dialect) => _dialect = dialect;

    /// <summary>The positional texts of <paramref name="dialect"/>'s type.</summary>
    public static PositionalTexts For(IPositionalPlaceholders dialect) => ByDialect.GetOrAdd(dialect.GetType(), static (_, d) => new PositionalTexts(d), dialect);

    /// <summary>
    /// The text to send for <paramref name="sql"/> with <paramref name="parameters"/> (just bound under their names) bound by
    /// position instead, their names cleared; <see langword="null"/>, the parameters untouched: send it named.
    /// </summary>
    public string? Bind(string sql, DbParameterCollection parameters)
    {
        var count = parameters.Count;
        if (count == 0)
        {
            return null;
        }

        if (!_forms.TryGetValue(sql, out var form))
        {
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = parameters[i].ParameterName;
            }

            form = new Form(_dialect.PositionalText(sql, names), names);
            _forms.AddOrUpdate(sql, form);
        }

        if (form.Text is null || form.Names.Length != count)
        {
            return null;
        }

        // The same statement binds the same names in the same order; anything else is sent named, as the driver reads it.
        for (var i = 0; i < count; i++)
        {
            if (!string.Equals(parameters[i].ParameterName, form.Names[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        for (var i = 0; i < count; i++)
        {
            parameters[i].ParameterName = string.Empty;
        }

        return form.Text;
    }

    /// <summary>Whether <paramref name="text"/> is the positional form of <paramref name="sql"/> (<see cref="Bind"/> returned it).</summary>
    public bool IsFormOf(string sql, string text) => _forms.TryGetValue(sql, out var form) && ReferenceEquals(form.Text, text);

    private sealed record Form(string? Text, string[] Names);
}
