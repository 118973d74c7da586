namespace Premix.Migrations;

/// <summary>One migration as <c>MigrationStatusAsync</c> reports it: file and history together.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name: the file's, or the history table's when the file is missing.</param>
/// <param name="File">The file, or <see langword="null"/> when <see cref="MigrationStatus.FileMissing"/>.</param>
/// <param name="Status">Pending, applied, failed, checksum changed or file missing.</param>
/// <param name="AppliedAt">When it was applied (UTC), or <see langword="null"/> when pending.</param>
/// <param name="Duration">How long its SQL ran, or <see langword="null"/> when pending.</param>
public sealed record MigrationState(long Version, string Name, MigrationFile? File, MigrationStatus Status, DateTime? AppliedAt, TimeSpan? Duration);
