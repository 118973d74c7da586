using System.Globalization;
using Premix.Execution;

namespace Premix.Tests.Infrastructure;

/// <summary>
/// A MariaDB session's own counts of statements prepared (<c>Com_stmt_prepare</c>) and run prepared
/// (<c>Com_stmt_execute</c>), read with the driver on the connection a unit of work holds: the query is plain text, so it
/// counts in neither.
/// </summary>
internal static class MariaDbStatementCounters
{
    public static async Task<(long Prepared, long Executed)> ReadAsync(IUnitOfWork uow)
    {
        Assert.That(((ISqlSession)uow).TryGetOpenConnection(out var connection), Is.True, "the unit of work holds its connection");
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')";
        var counters = new Dictionary<string, long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                counters[reader.GetString(0)] = long.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
            }
        }

        return (counters["Com_stmt_prepare"], counters["Com_stmt_execute"]);
    }
}
