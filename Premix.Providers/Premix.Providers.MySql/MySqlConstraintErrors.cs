using System.Text.RegularExpressions;
using MySqlConnector;

namespace Premix.Providers.MySql;

/// <summary>
/// Reads MySQL's and MariaDB's unique and foreign-key violations from their messages, the only place the server names
/// anything: <c>Duplicate entry 'ada@example.com' for key 'ux_customers_email'</c> names the key and the value (masked
/// here, whatever the column: the server truncates and reformats it, so it cannot be matched to a sensitive parameter),
/// and a foreign-key error quotes the whole constraint (table, columns, referenced table), without values.
/// </summary>
internal static partial class MySqlConstraintErrors
{
    public static ConstraintViolation? Describe(Exception error)
    {
        switch (error)
        {
            case MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry or MySqlErrorCode.DuplicateEntryWithKeyName } e:
                return Duplicate(e.Message);
            case MySqlBulkLoadException { Warning: MySqlErrorCode.DuplicateKeyEntry or MySqlErrorCode.DuplicateEntryWithKeyName } e:
                return Duplicate(e.Message); // a bulk load's duplicate arrives as a warning with the same message
            case MySqlException { ErrorCode: MySqlErrorCode.NoReferencedRow2 or MySqlErrorCode.RowIsReferenced2 or MySqlErrorCode.NoReferencedRow or MySqlErrorCode.RowIsReferenced } e:
                var constraint = ForeignKey().Match(e.Message);
                return constraint.Success
                    ? new ConstraintViolation(
                        ConstraintViolationKind.ForeignKey,
                        constraint.Groups["name"].Value,
                        constraint.Groups["table"].Value,
                        constraint.Groups["columns"].Value.Split(", ").Select(c => c.Trim('`')).ToArray(),
                        e.Message)
                    { ReferencedTable = constraint.Groups["referenced"].Value }
                    : new ConstraintViolation(ConstraintViolationKind.ForeignKey, null, null, [], e.Message);
            default:
                return null;
        }
    }

    private static ConstraintViolation Duplicate(string message)
    {
        var duplicate = DuplicateEntry().Match(message);
        var masked = DuplicateEntry().Replace(message, "Duplicate entry '***' for key '${key}'");
        return new ConstraintViolation(ConstraintViolationKind.Unique, duplicate.Success ? Key(duplicate.Groups["key"].Value) : null, null, [], masked);
    }

    // MySQL 8 names the key as table.key; MariaDB as key alone.
    private static string Key(string key) => key.LastIndexOf('.') is var dot and > 0 ? key[(dot + 1)..] : key;

    // The entry runs to the last "' for key '", so a quote inside the value does not end it early.
    [GeneratedRegex(@"Duplicate entry '(?<value>.*)' for key '(?<key>[^']*)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DuplicateEntry();

    // "(`db`.`orders`, CONSTRAINT `fk_orders_CustomerId` FOREIGN KEY (`CustomerId`) REFERENCES `customers` (`Id`))"
    [GeneratedRegex(@"\(`[^`]*`\.`(?<table>[^`]*)`, CONSTRAINT `(?<name>[^`]*)` FOREIGN KEY \((?<columns>[^)]*)\) REFERENCES `(?<referenced>[^`]*)`", RegexOptions.CultureInvariant)]
    private static partial Regex ForeignKey();
}
