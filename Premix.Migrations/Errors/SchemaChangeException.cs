namespace Premix.Migrations;

/// <summary>
/// A DDL statement failed while changing the schema. The message names the statement and what happened to the ones before
/// it; <see cref="Exception.InnerException"/> is the <see cref="DatabaseCommandException"/> every failed Premix statement raises.
/// </summary>
public sealed class SchemaChangeException : PremixException
{
    internal SchemaChangeException(IReadOnlyList<string> statements, int failed, bool rolledBack, DatabaseCommandException error)
        : base(Describe(statements, failed, rolledBack, error), error)
    {
        FailedStatement = statements[failed];
        AppliedStatements = rolledBack ? [] : statements.Take(failed).ToArray();
    }

    /// <summary>The statement the database refused.</summary>
    public string FailedStatement { get; }

    /// <summary>The statements that stayed applied (none where DDL is transactional: they were rolled back).</summary>
    public IReadOnlyList<string> AppliedStatements { get; }

    private static string Describe(IReadOnlyList<string> statements, int failed, bool rolledBack, DatabaseCommandException error) =>
        $"Schema change {failed + 1} of {statements.Count} failed: {statements[failed]}{Environment.NewLine}Cause: {(error.InnerException ?? error).Message}{Environment.NewLine}"
        + (rolledBack
            ? "Every statement of this change was rolled back; the schema is as it was."
            : failed == 0
                ? "Nothing was applied."
                : $"This engine commits DDL at once: the {failed} statement(s) before it stay applied. Run the sync again after fixing the cause; it continues from the current schema.");
}
