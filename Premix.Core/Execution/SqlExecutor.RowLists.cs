using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Premix.Diagnostics;

namespace Premix.Execution;

internal sealed partial class SqlExecutor
{
    /// <summary>
    /// Sends the many-row statements of one run (<see cref="Plans.RowListStatements"/>, their parameters
    /// <see cref="RowListParameters"/>; a statement without parameters, such as a SAVEPOINT, may lead) in one round trip,
    /// in order. With <paramref name="keys"/>, reads every row the statements return, in order, into it (generated keys,
    /// one per inserted row) and returns how many it read; otherwise returns the rows they matched together.
    /// </summary>
    public async ValueTask<long> ExecuteRowListsAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<Command> commands, object?[]? keys, CancellationToken cancellationToken)
    {
        var batch = connection.CreateBatch();
        await using (batch.ConfigureAwait(false))
        {
            batch.Transaction = transaction;
            foreach (var command in commands)
            {
                AddToBatch(batch, command);
            }

            var main = commands[^1];
            await RefuseIfTooLargeAsync(async, connection, transaction, main, batch, cancellationToken).ConfigureAwait(false);
            var trace = telemetry.Start(main, commands.Count);
            using var cancellation = provider.CancelOnToken(connection, cancellationToken);
            try
            {
                var rows = keys is null
                    ? async ? await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteNonQuery()
                    : await ReadAllFirstColumnsAsync(async, batch, keys, cancellationToken).ConfigureAwait(false);
                var elapsed = trace.Elapsed;
                trace.Succeeded(rows);
                if (logger.IsEnabled(LogLevel.Debug) || StatementRecording.IsActive)
                {
                    for (var i = 0; i < commands.Count; i++)
                    {
                        Executed(commands[i], commands.Count == 1 ? commands[i].Operation : $"{commands[i].Operation} ({i + 1} of a batch of {commands.Count})", null, -1, elapsed, startsRoundTrip: i == 0);
                    }
                }

                return rows;
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                var index = e is DbException { BatchCommand: { } failed } ? batch.BatchCommands.IndexOf(failed) : -1;
                throw Fail(connection, index >= 0 ? commands[index] : main, trace, e, cancellationToken, commands.SelectMany(c => c.Parameters?.SensitiveValues() ?? []));
            }
        }
    }

    // Every row of every result set, in order: the statements' generated keys.
    private static async ValueTask<int> ReadAllFirstColumnsAsync(bool async, DbBatch batch, object?[] keys, CancellationToken cancellationToken)
    {
        var count = 0;
        var reader = async ? await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            do
            {
                while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                {
                    if (count < keys.Length)
                    {
                        keys[count] = reader.GetValue(0);
                    }

                    count++;
                }
            }
            while (async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult());
        }

        return count;
    }
}
