using Microsoft.CodeAnalysis;

namespace Premix.Analyzers;

/// <summary>The diagnostics Premix's analyzers report, each with a section of docs/analyzers.md as its help link.</summary>
internal static class Rules
{
    private const string HelpBase = "https://github.com/premix-orm/premix/blob/main/docs/analyzers.md#";

    public static readonly DiagnosticDescriptor NonConstantSql = new(
        "PMX1001",
        "SQL built from values reaches the verbatim Raw(string)",
        "The SQL passed to {0} is {1}, not a constant: a value in it can change the SQL. Write Raw($\"... {{value}} ...\") so each value is a parameter, or use a constant with @name parameters and an arguments object.",
        "Security",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Raw(string) sends its text exactly as written. Only a constant is safe there; an interpolated string given directly to Raw(...) binds to the parameterised overload instead.",
        helpLinkUri: HelpBase + "pmx1001-sql-built-from-values");

    public static readonly DiagnosticDescriptor UnfilteredBulk = new(
        "PMX1002",
        "Bulk operation without a filter",
        "{0} runs on a query with no Where(...): it would change every row of the table, and throws DestructiveOperationException when run. Add a Where(...) that selects the rows, or call AllowUnsafe() if every row is meant.",
        "Reliability",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + "pmx1002-bulk-operation-without-a-filter");

    public static readonly DiagnosticDescriptor Untranslatable = new(
        "PMX1003",
        "Query lambda outside the translatable subset",
        "'{0}' in this {1}(...) cannot be translated to SQL: {2}. It throws NotSupportedException when the query runs; write it with Raw(...), or compute it before or after the query.",
        "Usage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + "pmx1003-query-lambda-outside-the-translatable-subset");

    public static readonly DiagnosticDescriptor Unmappable = new(
        "PMX1004",
        "Entity property the mapping conventions cannot store",
        "{0}.{1} has type {2}, which no convention stores in a column, and {3} neither maps nor ignores it: the model fails at startup. Ignore it, map it with Owns/HasMany/HasOne/BelongsTo, or give it HasConversion(...) or StoredAsJson().",
        "Usage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpBase + "pmx1004-entity-property-the-conventions-cannot-store",
        customTags: WellKnownDiagnosticTags.CompilationEnd);
}
