namespace Premix.Tests.Infrastructure;

/// <summary>Finds the repository's folder (the one holding Premix.sln) from the test binaries, for tests that read its files.</summary>
internal static class RepositoryFolder
{
    /// <summary>The repository's folder, found by walking up from the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Premix.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder holding Premix.sln above '{TestContext.CurrentContext.TestDirectory}'.");
    }
}
