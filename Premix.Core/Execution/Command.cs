namespace Premix.Execution;

/// <summary>A statement about to run: what it is for (for logs and errors), its SQL and its parameters.</summary>
internal readonly record struct Command(string Operation, string? Entity, string Sql, IStatementParameters? Parameters);
