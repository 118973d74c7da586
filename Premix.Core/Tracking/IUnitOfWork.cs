namespace Premix;

/// <summary>
/// A scope of work on the database: it collects the writes made through its repositories, and sends them all in one
/// transaction on <see cref="CommitAsync"/>. Disposing it without committing discards them.
/// </summary>
/// <remarks><para>
/// A unit of work takes a pooled connection for each operation outside a transaction and gives it back right after, so
/// it holds none while the application works without the database. It holds one from the first write of a transaction
/// (the commit's, or a raw write's) to that transaction's end, and while a stream or a query with Include runs.
/// On an in-memory SQLite database, which lives only while a connection to it is open, it keeps its connection until disposed.
/// </para><para>
/// Like a DbContext, a unit of work is for one flow of work at a time: a second call made before the first one finished
/// (from another thread, or not awaited) throws <see cref="InvalidOperationException"/> before any SQL is sent. Every
/// member of a disposed unit of work, and of its repositories and queries, throws <see cref="ObjectDisposedException"/>.
/// </para></remarks>
public interface IUnitOfWork : IAsyncDisposable, IDisposable
{
    /// <summary>Whether writes are waiting for <see cref="CommitAsync"/>.</summary>
    bool HasPendingChanges { get; }

    /// <summary>
    /// Makes every read of this unit of work see every transaction committed before the read began, on whichever node of
    /// a multi-primary cluster it was committed (MariaDB Galera: each connection the unit of work opens first waits, through
    /// <c>wsrep_sync_wait</c>, until its node has applied what the cluster certified). Use it where a read must show a
    /// write made just before through another node, such as the page shown after a form was saved; other units of work
    /// read without waiting. It takes effect from the next connection the unit of work opens: call it first.
    /// </summary>
    /// <remarks>
    /// Each connection opened then costs one statement more, which waits for a cluster round trip. On a single
    /// server, which every read already sees whole, it does nothing; so does the default implementation, for test fakes.
    /// See docs/scale-out.md ("Galera").
    /// </remarks>
    void UseCausalReads()
    {
    }

    /// <summary>The repository of <typeparamref name="T"/> bound to this unit of work.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not mapped.</exception>
    IRepository<T> Repository<T>()
        where T : class;

    /// <summary>
    /// A raw SQL statement written as an interpolated string, run on this unit of work's connection: every hole becomes a
    /// parameter (<c>uow.Raw($"UPDATE ... WHERE id = {id}")</c>), so no value can change the SQL.
    /// </summary>
    /// <remarks>
    /// A statement is a write unless marked <see cref="RawQuery.ReadOnly"/>: it runs in this unit of work's transaction
    /// and lands with <see cref="CommitAsync"/>, or is rolled back when the unit of work is disposed without a commit.
    /// </remarks>
    RawQuery Raw(RawSql sql);

    /// <summary>
    /// A raw SQL statement given as verbatim text, run on this unit of work's connection (a write in its transaction,
    /// unless marked <see cref="RawQuery.ReadOnly"/>). Use a constant with <c>@name</c> placeholders and pass the values
    /// in <paramref name="args"/>.
    /// </summary>
    /// <param name="sql">The SQL, with parameters written <c>@name</c>; never built from values.</param>
    /// <param name="args">An object whose properties are the parameters (<c>new { since }</c>).</param>
    RawQuery Raw(string sql, object? args = null);

    /// <summary>Not allowed: an interpolated string takes its values from its holes, not from an arguments object.</summary>
    [Obsolete("Raw($\"...\") turns every hole into a parameter and takes no arguments object: put each value in a hole, or use a constant SQL string with @name parameters and the arguments object.", error: true)]
    RawQuery Raw(RawSql sql, object? args);

    /// <summary>
    /// Takes a pooled connection now and keeps it for this unit of work until the returned <see cref="ConnectionHold"/> is
    /// disposed, as EF Core's <c>Database.OpenConnectionAsync</c> does: a run of operations (a batch job, a loop of reads)
    /// then pays one pool rent instead of one per operation. On PostgreSQL that also saves the session reset
    /// (<c>DISCARD ALL</c>) Npgsql sends with the first statement after every rent.
    /// </summary>
    /// <remarks>Holds nest; the connection goes back to the pool when the last is disposed, or at the end of a transaction open then.</remarks>
    /// <exception cref="DatabaseConnectionException">No connection could be opened.</exception>
    /// <exception cref="ConnectionPoolExhaustedException">The pool had no free connection within the connect timeout.</exception>
    ValueTask<ConnectionHold> HoldConnectionAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous twin of <see cref="HoldConnectionAsync"/>.</summary>
    ConnectionHold HoldConnection();

    /// <summary>
    /// Validates every pending write, then sends them in one transaction: all of them land, or none does.
    /// Generated keys are written back to the inserted objects once the transaction has committed.
    /// </summary>
    /// <exception cref="ValidationException">An entity broke its mapping's rules; nothing was sent.</exception>
    /// <exception cref="ConcurrencyException">An update or delete matched no row; everything was rolled back.</exception>
    /// <exception cref="DatabaseCommandException">The database refused a statement; everything was rolled back. A transient refusal (a deadlock, a lost connection) was first retried as the resilience options allow.</exception>
    /// <exception cref="DatabaseConnectionException">No connection could be opened (unreachable server, refused credentials, unknown database, missing SQLite file); an unreachable server was first retried as the resilience options allow.</exception>
    /// <exception cref="CommitOutcomeUnknownException">The connection was lost while COMMIT was in flight and no <see cref="VerifyCommitWith"/> check could tell whether the changes were saved.</exception>
    /// <remarks>
    /// A commit that fails with a transient error runs again as a whole, from the tracked objects (before-hooks run again),
    /// unless the unit of work ran raw writes in its transaction. Cancellation is honoured until COMMIT is sent.
    /// </remarks>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>The synchronous twin of <see cref="CommitAsync"/>.</summary>
    void Commit();

    /// <summary>
    /// Gives the commit a way to tell, when the connection is lost while COMMIT is in flight, whether the changes were
    /// saved: <paramref name="wasCommitted"/> reads the database through a fresh unit of work (for example, whether a
    /// row with this order's unique reference exists) and returns <see langword="true"/> if they were. Premix then
    /// completes the commit, or retries it if they were not, instead of throwing <see cref="CommitOutcomeUnknownException"/>.
    /// </summary>
    /// <param name="wasCommitted">The check, given a new unit of work on another connection and the commit's token.</param>
    void VerifyCommitWith(Func<IUnitOfWork, CancellationToken, Task<bool>> wasCommitted);

    /// <summary>
    /// With read replicas (<c>WithReadReplicas</c>): the position this unit of work's reads must see, that of its last
    /// commit or the one handed to <see cref="ReadAfter"/>, whichever is later. Its reads go to a replica only once that
    /// replica has replayed it. <see langword="null"/> before any commit, and always without read replicas.
    /// </summary>
    /// <remarks>Put its text in a cookie, header or message to give a later scope the same guarantee (<see cref="ReadYourWritesToken"/>).</remarks>
    ReadYourWritesToken? ReadYourWrites => null;

    /// <summary>
    /// Makes this unit of work's reads see the commit <paramref name="token"/> was taken after (in an earlier request, or
    /// another process): they go to a read replica only once it has replayed that far, otherwise to the primary.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="token"/> is of the other engine (an <c>lsn:</c> token for a MariaDB primary, a <c>gtid:</c> one for a
    /// PostgreSQL primary): its position means nothing to these servers.
    /// </exception>
    void ReadAfter(ReadYourWritesToken token)
    {
    }
}
