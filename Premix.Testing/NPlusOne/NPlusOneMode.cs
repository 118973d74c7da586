namespace Premix.Testing;

/// <summary>What a <see cref="QueryRecorder"/> does when it sees an N+1 (docs/testing-your-app.md#n1-detection defines it).</summary>
public enum NPlusOneMode
{
    /// <summary>Nothing: statements are only recorded.</summary>
    Off,

    /// <summary>Throws <see cref="NPlusOneException"/> from the statement that reaches the threshold: strict mode, for tests.</summary>
    Throw,

    /// <summary>Logs a warning once per case and lets the code go on: for development.</summary>
    Warn,
}
