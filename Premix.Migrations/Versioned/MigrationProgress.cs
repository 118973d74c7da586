namespace Premix.Migrations;

/// <summary>One step of a migration run, reported through <see cref="MigrationOptions.Progress"/>.</summary>
/// <param name="Migration">The migration file.</param>
/// <param name="Direction">Whether its Up or its Down section runs.</param>
/// <param name="Step">Starting, completed or failed.</param>
/// <param name="Index">Its position in this run, from 1.</param>
/// <param name="Count">How many migrations this run will apply or revert.</param>
/// <param name="Elapsed">How long its SQL ran; zero when starting.</param>
public sealed record MigrationProgress(MigrationFile Migration, MigrationDirection Direction, MigrationStep Step, int Index, int Count, TimeSpan Elapsed);
