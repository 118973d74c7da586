namespace Premix.Providers;

/// <summary>
/// A dialect whose driver reads a statement's named placeholders by parsing its text at every run, and sends it as it is
/// when its placeholders are positional and its parameters have no names (Npgsql: <c>$1</c>, <c>$2</c>). Premix then works
/// out each statement's positional text once, on its first run, and binds its parameters by position from then on.
/// </summary>
/// <remarks>
/// Only statements Premix writes and sends again are rewritten (a plan's, a cached translated query's); raw SQL and texts
/// made for one call are left to the driver. Logs, traces, messages and <c>ToSql</c> show the text as Premix wrote it,
/// with its named placeholders. <see cref="PositionalText"/> must be a pure function of its arguments: its answers are
/// kept per text and shared by every database of the dialect's type.
/// </remarks>
public interface IPositionalPlaceholders
{
    /// <summary>
    /// <paramref name="sql"/> with each named placeholder replaced by the positional one of its parameter: the parameter at
    /// index <c>i</c> of <paramref name="parameterNames"/> (the names as bound, a leading <c>@</c> or <c>:</c> ignored) is
    /// the driver's <c>i + 1</c>th. <see langword="null"/> when the text must stay named: it holds something the rewrite
    /// does not read as the driver would with certainty, a placeholder names no parameter, or a parameter is not used.
    /// </summary>
    /// <param name="sql">The statement's text, with named placeholders.</param>
    /// <param name="parameterNames">The names of the statement's parameters, in the order they are bound.</param>
    string? PositionalText(string sql, IReadOnlyList<string> parameterNames);
}
