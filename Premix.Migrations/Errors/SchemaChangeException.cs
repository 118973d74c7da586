namespace Premix.Migrations;

/// <summary>
/// A DDL statement failed while changing the schema. The message names the statement and what happened to the ones
/// before it: rolled back where DDL is transactional; listed one by one where it is not (MySQL, MariaDB), with how to go on.
/// <see cref="Exception.InnerException"/> is the <see cref="DatabaseCommandException"/> every failed Premix statement raises.
/// </summary>
public sealed class SchemaChangeException : PremixException
{
    internal SchemaChangeException(IReadOnlyList<string> statements, int failed, bool rolledBack, DatabaseCommandException error)
        : base(Describe(statements, failed, rolledBack, error), error)
    {
        FailedStatement = statements[failed];
        AppliedStatements = rolledBack ? [] : statements.Take(failed).ToArray();
        PendingStatements = rolledBack ? statements.ToArray() : statements.Skip(failed).ToArray();
    }

    /// <summary>The statement the database refused.</summary>
    public string FailedStatement { get; }

    /// <summary>The statements that stayed applied (none where DDL is transactional: they were rolled back).</summary>
    public IReadOnlyList<string> AppliedStatements { get; }

    /// <summary>The statements not applied: the failed one and those after it (all of them where DDL was rolled back).</summary>
    public IReadOnlyList<string> PendingStatements { get; }

    private static string Describe(IReadOnlyList<string> statements, int failed, bool rolledBack, DatabaseCommandException error)
    {
        var head = $"Schema change {failed + 1} of {statements.Count} failed: {statements[failed]}{Environment.NewLine}Cause: {(error.InnerException ?? error).Message}{Environment.NewLine}";
        if (rolledBack)
        {
            return head + "Every statement of this change was rolled back; the schema is as it was.";
        }

        if (failed == 0)
        {
            return head + "Nothing was applied.";
        }

        var after = statements.Count - failed - 1;
        return head
            + $"This engine commits each DDL statement at once, so the schema is now part way: the {failed} statement(s) before it stay applied:{Environment.NewLine}"
            + string.Concat(statements.Take(failed).Select((s, i) => $"  {i + 1}. {s}{Environment.NewLine}"))
            + $"Not applied: statement {failed + 1}, which failed{(after == 0 ? string.Empty : $", and the {after} after it")}.{Environment.NewLine}"
            + "To continue, fix the cause (in the mapping or in the database) and run the sync again: it reads the schema as it is now and applies only what is still missing, which a diff lists. "
            + "To go back instead, undo the applied statements above by hand.";
    }
}
