namespace Premix.Cli.Output;

/// <summary>A failure the tool explains itself: <c>error:</c> with the message, then <c>hint:</c> with what to do.</summary>
/// <param name="message">What happened.</param>
/// <param name="hint">What to do about it.</param>
/// <param name="cause">What the tool caught, if anything.</param>
internal sealed class CommandException(string message, string hint, Exception? cause = null) : Exception(message, cause)
{
    /// <summary>What to do: the line after the error.</summary>
    public string Hint { get; } = hint;
}
