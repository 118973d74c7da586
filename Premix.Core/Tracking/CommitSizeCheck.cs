using System.Globalization;
using Premix.Execution;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>
/// Before a commit sends anything, on an engine whose server refuses statements above a configured size (MySQL and
/// MariaDB: <c>max_allowed_packet</c>): an entity whose INSERT or UPDATE would be too large fails validation, named with
/// its property and the limit, together with every other such entity; and when the commit's statements together are
/// larger than the limit, the writer is told each one's size, so that no batch of them is.
/// </summary>
internal static class CommitSizeCheck
{
    /// <returns>
    /// Each write's statement size and the limit, when batches must be cut to fit (<see langword="null"/> when the whole
    /// commit fits in one); and the commit's failures so far (its values', passed in as <c>failures</c>) with every write
    /// whose statement would be larger than the connection's limit added.
    /// </returns>
    public static async ValueTask<(BatchBudget? Budget, List<ValidationFailure>? Failures)> CheckAsync(
        bool async, StatementSizeGuard sizes, List<WriteOperation> operations, ISqlSession session, List<ValidationFailure>? failures, CancellationToken cancellationToken)
    {
        // Every commit pays this: the lengths of its strings and byte arrays, no value read otherwise.
        long bound = 0;
        foreach (var operation in operations)
        {
            bound += Bound(sizes, operation) * TimesListed(operation);
        }

        if (sizes.Fits(bound))
        {
            return (null, failures);
        }

        var exact = new long[operations.Count];
        long total = 0;
        for (var i = 0; i < operations.Count; i++)
        {
            exact[i] = Exact(sizes, operations[i]);
            total += exact[i] * TimesListed(operations[i]);
        }

        if (sizes.Fits(total))
        {
            return (null, failures);
        }

        // The statements together are over the limit last read (or the smallest a server has): this connection's decides.
        var connection = await session.AcquireAsync(async, cancellationToken).ConfigureAwait(false);
        long? read;
        try
        {
            read = await sizes.LimitForAsync(async, connection, session.Transaction, total, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ReleaseAsync(async, connection).ConfigureAwait(false); // held on only by a transaction already open
        }

        if (read is not { } limit)
        {
            return (null, failures); // the limit could not be read: the server judges every statement itself
        }

        Dictionary<EntityEntry, int>? positions = null;
        for (var i = 0; i < operations.Count; i++)
        {
            if (exact[i] >= limit)
            {
                positions ??= EntityValidator.InsertPositions(operations);
                (failures ??= []).Add(TooLarge(sizes, operations[i], positions, exact[i], limit));
            }
        }

        return (new BatchBudget(exact, limit), failures);
    }

    // How many times a write's statement size bounds its share of a many-row statement (RowListStatements): once for an
    // INSERT's row, once per segment for an UPDATE's, which names the row's key in each.
    private static int TimesListed(WriteOperation operation) =>
        operation.Kind is WriteKind.Update or WriteKind.SoftDelete && operation.Entry.Plan.UpdateRows?.For(operation.ChangedMask) is { } rows ? rows.Segments.Count : 1;

    // A quick upper bound: strings and byte arrays by their length, any other value as the most a scalar takes.
    private static long Bound(StatementSizeGuard sizes, WriteOperation operation)
    {
        var statement = CommitWriter.StatementOf(operation);
        var size = sizes.Engine.TextSize(statement.Sql, exact: false);
        var parameters = statement.Parameters;
        for (var i = 0; i < parameters.Count; i++) // every MySQL commit runs this: no enumerator
        {
            size += IsSized(parameters[i]) ? sizes.Engine.ValueSize(parameters[i].ReadStored(operation.Entry.Entity), exact: false) : StatementSizeGuard.ScalarBound;
        }

        return size;
    }

    // The statement as the driver will send it, every value as bound.
    private static long Exact(StatementSizeGuard sizes, WriteOperation operation)
    {
        var statement = CommitWriter.StatementOf(operation);
        var size = sizes.Engine.TextSize(statement.Sql, exact: true);
        var parameters = statement.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            size += ExactSize(sizes, parameters[i], operation.Entry.Entity);
        }

        return size;
    }

    // A DateTime of the wrong kind cannot be converted for the driver: its failure is listed already (the commit's values
    // are checked first), and it counts as the scalar it is.
    private static long ExactSize(StatementSizeGuard sizes, ParameterBinding binding, object entity) =>
        binding.DateTimeRule?.WrongKind(binding.ReadStored(entity)) is null ? sizes.Engine.ValueSize(binding.ReadFrom(entity), exact: true) : StatementSizeGuard.ScalarBound;

    // Named by its largest value: the one to make smaller.
    private static ValidationFailure TooLarge(StatementSizeGuard sizes, WriteOperation operation, Dictionary<EntityEntry, int> positions, long size, long limit)
    {
        var statement = CommitWriter.StatementOf(operation);
        ParameterBinding? largest = null;
        long largestSize = 0;
        foreach (var binding in statement.Parameters)
        {
            if (IsSized(binding) && sizes.Engine.ValueSize(binding.ReadFrom(operation.Entry.Entity), exact: true) is var valueSize && valueSize > largestSize)
            {
                (largest, largestSize) = (binding, valueSize);
            }
        }

        var setting = sizes.Engine.LimitSetting;
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"takes {largestSize:N0} bytes in its {statement.Name} statement, which would be {size:N0} bytes as sent; the server accepts statements smaller than {limit:N0} bytes on this connection ({setting} = {limit}). Store less in it, or {sizes.RaiseLimit}.");
        return EntityValidator.FailureOf(operation, positions, largest?.Property.Name, message);
    }

    private static bool IsSized(ParameterBinding binding) => binding.Property.StoredType == typeof(string) || binding.Property.StoredType == typeof(byte[]);
}

/// <summary>Each write's statement size (in the commit's order) and the limit no batch may reach.</summary>
internal sealed record BatchBudget(long[] Sizes, long Limit);
