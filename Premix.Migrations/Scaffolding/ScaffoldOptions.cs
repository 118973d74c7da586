namespace Premix.Migrations;

/// <summary>What <see cref="Scaffolder"/> generates: the namespace of the classes, which tables and views, and how classes are named.</summary>
public sealed class ScaffoldOptions
{
    /// <summary>The namespace of the generated classes (a dotted C# name); <c>Scaffolded</c> by default.</summary>
    public string Namespace { get; init; } = "Scaffolded";

    /// <summary>Schemas to read besides the connection's default one (PostgreSQL schemas, MySQL databases).</summary>
    public IReadOnlyCollection<string> Schemas { get; init; } = [];

    /// <summary>
    /// The tables and views to scaffold, as <c>name</c> or <c>schema.name</c> (case-insensitive); empty for every one. A
    /// foreign key to a table left out stays a plain property, without a navigation.
    /// </summary>
    public IReadOnlyCollection<string> Tables { get; init; } = [];

    /// <summary>
    /// Names each class after its table as it is (<c>projects</c> gives <c>Projects</c>) instead of in the singular
    /// (<c>Project</c>, the default). Collection navigations are plural either way.
    /// </summary>
    public bool KeepTableNames { get; init; }
}
