namespace Premix.Tests.Infrastructure;

/// <summary>Finds the sample databases of the repository's datasets folder from the test binaries.</summary>
internal static class Datasets
{
    /// <summary>
    /// Walks up from the test binaries to the repository (the folder holding Premix.sln) and returns
    /// <c>datasets/<paramref name="name"/></c> in it.
    /// </summary>
    public static string Folder(string name) => Path.Combine(RepositoryFolder.Root(), "datasets", name);
}
