namespace Premix.Cli.Output;

/// <summary>What the process returns: scripts and CI jobs branch on these.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed (the database refused, a file is malformed, the model is invalid); or a usage error.</summary>
    public const int Failure = 1;

    /// <summary><c>premix diff --exit-code</c> found differences between the mapping and the database; <c>premix optimize --check</c> found the generated model out of date.</summary>
    public const int Differences = 2;

    /// <summary>The command was cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
