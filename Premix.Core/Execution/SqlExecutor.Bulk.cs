using System.Data.Common;

namespace Premix.Execution;

/// <summary>The executor's entry point for what a driver runs through an API of its own rather than a command (PostgreSQL's COPY).</summary>
internal sealed partial class SqlExecutor
{
    /// <summary>
    /// Runs <paramref name="run"/> as the statement <paramref name="command"/> describes: traced, logged and recorded as it,
    /// with its failure wrapped and scrubbed like any statement's, and cancelled by <paramref name="cancellationToken"/>.
    /// Returns the number of rows <paramref name="run"/> reports.
    /// </summary>
    public async ValueTask<long> ExecuteDriverAsync(DbConnection connection, Command command, Func<CancellationToken, ValueTask<long>> run, CancellationToken cancellationToken)
    {
        var trace = telemetry.Start(command);
        using var cancellation = provider.CancelOnToken(connection, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await run(cancellationToken).ConfigureAwait(false);
            Executed(command, command.Operation, trace, rows);
            return rows;
        }
        catch (Exception e) when (IsStatementFailure(e, cancellationToken))
        {
            throw Fail(connection, command, trace, e, cancellationToken);
        }
    }
}
