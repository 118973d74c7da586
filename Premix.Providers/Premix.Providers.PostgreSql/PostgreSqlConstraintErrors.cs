using System.Text.RegularExpressions;
using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// Reads PostgreSQL's unique (23505) and foreign-key (23503) violations: the server sends the constraint and the table
/// as fields of the error. The columns and values are only in its DETAIL (<c>Key (email)=(ada@example.com) already
/// exists.</c>), which Npgsql keeps only with <c>Include Error Detail</c>; then the columns are read from it and the
/// values masked.
/// </summary>
internal static partial class PostgreSqlConstraintErrors
{
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";

    public static ConstraintViolation? Describe(Exception error)
    {
        if (error is not PostgresException { SqlState: UniqueViolation or ForeignKeyViolation } e)
        {
            return null;
        }

        var kind = e.SqlState == UniqueViolation ? ConstraintViolationKind.Unique : ConstraintViolationKind.ForeignKey;
        var detail = e.Detail is null ? null : KeyDetail().Match(e.Detail);
        var columns = detail is { Success: true } ? detail.Groups["columns"].Value.Split(", ").Select(Unquote).ToArray() : [];
        var referenced = ReferencedTable().Match(kind == ConstraintViolationKind.ForeignKey ? e.MessageText + " " + e.Detail : string.Empty);
        // With the values in the detail, the message differs from the driver's whether or not the driver's message repeats
        // the detail: Premix then keeps a redacted copy of the driver's exception, never the one whose Detail holds them.
        var message = detail is { Success: true } && !e.Message.Contains(e.Detail!, StringComparison.Ordinal) ? $"{e.Message} DETAIL: {e.Detail}" : e.Message;
        return new ConstraintViolation(kind, e.ConstraintName, e.TableName, columns, KeyDetail().Replace(message, "Key (${columns})=(***)${rest}"))
        {
            ReferencedTable = referenced.Success ? referenced.Groups["table"].Value : null,
        };
    }

    private static string Unquote(string column) =>
        column.Length > 1 && column[0] == '"' && column[^1] == '"' ? column[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : column;

    // "Key (a, b)=(x, y) already exists." / "... is duplicated." (CREATE UNIQUE INDEX) / "... is not present in table "t"." /
    // "... is still referenced from table "t".":
    // the values run to the last ")" before what the server says about them.
    [GeneratedRegex(@"Key \((?<columns>.+?)\)=\((?<values>.*)\)(?<rest> already exists| is duplicated| is not present| is still referenced)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex KeyDetail();

    // "update or delete on table "customers" violates ..." and "... is not present in table "customers"."
    [GeneratedRegex(@"(?:^update or delete on table|is not present in table) ""(?<table>(?:[^""]|"""")+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencedTable();
}
