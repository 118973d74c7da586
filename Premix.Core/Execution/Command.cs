namespace Premix.Execution;

/// <summary>
/// A statement about to run: what it is for (for logs and errors), its SQL, its parameters, and a time limit of its own in
/// seconds (<see langword="null"/>: the connection's command timeout; 0: none).
/// </summary>
internal readonly record struct Command(string Operation, string? Entity, string Sql, IStatementParameters? Parameters, int? TimeoutSeconds = null);
