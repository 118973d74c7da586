namespace Premix.Tests.Infrastructure;

/// <summary>Finds the sample databases of the repository's datasets folder from the test binaries.</summary>
internal static class Datasets
{
    /// <summary>
    /// Walks up from the test binaries to the repository (the folder holding Premix.sln) and returns
    /// <c>datasets/<paramref name="name"/></c> in it.
    /// </summary>
    public static string Folder(string name)
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Premix.sln")))
            {
                return Path.Combine(directory.FullName, "datasets", name);
            }
        }

        throw new DirectoryNotFoundException($"No folder holding Premix.sln above '{TestContext.CurrentContext.TestDirectory}', so no datasets/{name}.");
    }
}
