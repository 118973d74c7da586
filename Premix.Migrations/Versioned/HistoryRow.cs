namespace Premix.Migrations;

/// <summary>One row of the history table.</summary>
internal sealed record HistoryRow(long Version, string Name, string Checksum, DateTime AppliedAt, long DurationMs, bool Success);
