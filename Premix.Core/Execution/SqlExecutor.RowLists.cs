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
    /// <remarks>
    /// Given <paramref name="apply"/>, each key read is given to its entity before the statements are reported, when they
    /// returned one per row (see <see cref="Apply"/>).
    /// </remarks>
    public async ValueTask<long> ExecuteRowListsAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<Command> commands, object?[]? keys, CancellationToken cancellationToken, Action<int, object?>? apply = null)
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
            long rows;
            try
            {
                rows = keys is null
                    ? async ? await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteNonQuery()
                    : await ReadAllFirstColumnsAsync(async, batch, keys, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStatementFailure(e, cancellationToken))
            {
                var index = e is DbException { BatchCommand: { } failed } ? batch.BatchCommands.IndexOf(failed) : -1;
                throw Fail(connection, index >= 0 ? commands[index] : main, trace, e, cancellationToken, commands.SelectMany(c => c.Parameters?.SensitiveValues() ?? []));
            }

            for (var i = 0; apply is not null && keys is not null && rows == keys.Length && i < keys.Length; i++)
            {
                try
                {
                    apply(i, keys[i]);
                }
                catch (PremixException)
                {
                    BatchExecuted(commands, trace, rows);
                    throw;
                }
                catch (Exception e)
                {
                    // Named as the run's last statement: the keys of its rows come back as one list, not per statement.
                    BatchRefused(commands, commands.Count - 1, trace, e);
                    throw;
                }
            }

            BatchExecuted(commands, trace, rows);
            return rows;
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
