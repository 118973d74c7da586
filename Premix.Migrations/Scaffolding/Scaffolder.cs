using Premix.Execution;
using Premix.Providers;

namespace Premix.Migrations;

/// <summary>
/// Generates entity classes and their <c>ModelConfiguration</c>s from a live database (database first): two files per
/// table, <c>{Class}.cs</c> and <c>{Class}Map.cs</c>, every table and column name written out so the mapping works
/// under any naming convention; one read-only class per view, and per table without a key. The rules are in
/// docs/scaffolding.md.
/// </summary>
public static class Scaffolder
{
    /// <summary>
    /// Reads the live schema through the provider's schema dialect and generates the classes for it. The catalog queries
    /// are traced and measured like every Premix statement but logged nowhere; the overload taking an <see cref="IPremix"/>
    /// logs them through its logger.
    /// </summary>
    /// <exception cref="NotSupportedException">The provider does not serve <see cref="ISchemaProvider"/> (<see cref="DatabaseProviderSchemaExtensions.SchemaSupport"/>).</exception>
    /// <exception cref="ArgumentException"><see cref="ScaffoldOptions.Namespace"/> is not a C# namespace.</exception>
    public static async Task<IReadOnlyList<ScaffoldedFile>> ScaffoldAsync(IDatabaseProvider provider, ScaffoldOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        using var execution = SchemaExecution.Begin(provider);
        return await ReadAndGenerateAsync(provider, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the live schema of <paramref name="premix"/>'s database, its statements logged and traced as all of its statements are, and generates the classes for it.</summary>
    /// <exception cref="NotSupportedException">The provider does not serve <see cref="ISchemaProvider"/> (<see cref="DatabaseProviderSchemaExtensions.SchemaSupport"/>).</exception>
    /// <exception cref="ArgumentException"><see cref="ScaffoldOptions.Namespace"/> is not a C# namespace.</exception>
    public static async Task<IReadOnlyList<ScaffoldedFile>> ScaffoldAsync(IPremix premix, ScaffoldOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(premix);
        using var execution = SchemaExecution.Begin(premix);
        return await ReadAndGenerateAsync(premix.Provider, options, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ScaffoldedFile>> ReadAndGenerateAsync(IDatabaseProvider provider, ScaffoldOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dialect = provider.SchemaSupport()?.Schema
            ?? throw new NotSupportedException($"The {provider.Name} provider cannot scaffold: it neither implements {nameof(ISchemaProvider)} nor serves it through {nameof(IServiceProvider)}.");
        var connection = provider.CreateConnection();
        await using (connection.ConfigureAwait(false))
        {
            await ConnectionOpener.OpenAsync(true, connection, provider, cancellationToken).ConfigureAwait(false);
            var schema = await dialect.ReadAsync(connection, options.Schemas, cancellationToken).ConfigureAwait(false);
            return Generate(schema, dialect, options);
        }
    }

    /// <summary>Generates the classes for <paramref name="schema"/>, with the column types of <paramref name="dialect"/>; reads nothing.</summary>
    /// <exception cref="ArgumentException"><see cref="ScaffoldOptions.Namespace"/> is not a C# namespace.</exception>
    public static IReadOnlyList<ScaffoldedFile> Generate(DatabaseSchema schema, SchemaDialect dialect, ScaffoldOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(options);
        if (!CSharpNames.IsNamespace(options.Namespace))
        {
            throw new ArgumentException($"The namespace '{options.Namespace}' is not a C# namespace: write one like Shop.Data (letters, digits and underscores, parts separated by dots).", nameof(options));
        }

        var files = new List<ScaffoldedFile>();
        var model = ScaffoldModel.Build(schema, dialect, options);
        foreach (var scaffoldEnum in model.Enums)
        {
            files.Add(new ScaffoldedFile(scaffoldEnum.ClassName.TrimStart('@') + ".cs", ScaffoldWriter.Enum(scaffoldEnum, options.Namespace)));
        }

        foreach (var composite in model.Composites)
        {
            files.Add(new ScaffoldedFile(composite.ClassName.TrimStart('@') + ".cs", ScaffoldWriter.Composite(composite, options.Namespace)));
        }

        foreach (var entity in model.Entities)
        {
            files.Add(new ScaffoldedFile(entity.ClassName.TrimStart('@') + ".cs", ScaffoldWriter.Entity(entity, options.Namespace)));
            if (entity.IsMapped)
            {
                files.Add(new ScaffoldedFile(entity.MapName.TrimStart('@') + ".cs", ScaffoldWriter.Map(entity, options.Namespace)));
            }
        }

        return files;
    }
}
