using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Premix.Diagnostics;
using Premix.Execution;
using Premix.Providers;

namespace Premix.Resilience;

/// <summary>
/// Retries what the engine calls transient, through one Polly retry pipeline (exponential backoff with jitter), built on
/// the first retry: building it at startup JIT-compiled about 80 methods of Polly and validated its options by reflection,
/// for a pipeline most processes never run (the settings it would refuse are refused when they are set, see
/// <see cref="ResilienceOptions"/>). The first attempt runs outside the pipeline, so a call that succeeds costs nothing more; only after it
/// failed with a retryable error does the pipeline take over, seeing that failure as its own first outcome. Each call
/// gets <see cref="ResilienceOptions.MaxRetries"/> retries, and, while a server reached before takes no connection,
/// as many more as start within <see cref="ResilienceOptions.MaxUnavailableTime"/> of its first failure.
/// </summary>
internal sealed class RetryPolicy
{
    // The shortest wait between two attempts on a server that is away: with a shorter BaseDelay (0 retries at once) a
    // server refusing at once would be asked thousands of times in the window, each attempt logged.
    private static readonly TimeSpan MinUnavailableDelay = TimeSpan.FromMilliseconds(100);

    private readonly Lazy<RetryPipeline>? _pipeline;
    private readonly IDatabaseProvider _provider;
    private readonly int _maxRetries;
    private readonly TimeSpan _maxUnavailableTime;
    private volatile bool _reached;

    public RetryPolicy(ResilienceOptions options, IDatabaseProvider provider, ILogger logger, TelemetryContext telemetry)
    {
        _provider = provider;
        _maxRetries = options.MaxRetries;
        _maxUnavailableTime = options.MaxUnavailableTime;
        var enabled = options.Enabled && options.MaxRetries > 0;
        RetriesReads = enabled && options.RetryReads;
        RetriesCommits = enabled && options.RetryCommits;
        RetriesOpens = enabled && options.RetryCommits; // a raw write is part of what a commit saves: one switch for the write path
        if (!enabled)
        {
            return;
        }

        // Checked again here, where Polly's build used to refuse them: the options object is the application's, and a copy
        // kept from ConfigureResilience may have changed since, which the first retry would only find out.
        options.Validate();

        // The settings as they are now: a later change must not reach a retry. PublicationOnly: a build that failed is tried
        // again on the next retry, not rethrown for the life of the process.
        var (baseDelay, maxDelay) = (options.BaseDelay, options.MaxDelay);
        _pipeline = new Lazy<RetryPipeline>(() => new RetryPipeline(Pipeline(baseDelay, maxDelay, provider, logger, telemetry)), LazyThreadSafetyMode.PublicationOnly);
    }

    private ResiliencePipeline Pipeline(TimeSpan baseDelay, TimeSpan maxDelay, IDatabaseProvider provider, ILogger logger, TelemetryContext telemetry) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            // The budget below says when to stop: MaxRetries, or the time a server that went away is given to come back.
            MaxRetryAttempts = _maxUnavailableTime > TimeSpan.Zero ? int.MaxValue : _maxRetries,
            Delay = baseDelay,
            MaxDelay = maxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            DelayGenerator = baseDelay < MinUnavailableDelay ? args => ValueTask.FromResult(UnavailableDelay(args.Outcome.Exception, args.AttemptNumber, maxDelay)) : null,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error && IsRetryable(error)
                && args.Context.Properties.GetValue(Keys.Budget, null!).Allows(Unavailable(error), NextAttemptMayTake(error))),
            OnRetry = args =>
            {
                var error = args.Outcome.Exception!;
                provider.PrepareRetry(error); // a failover may have moved the primary: the next attempt looks again
                Telemetry.Retried(telemetry, args.Context.OperationKey!, error);
                Log.RetryScheduled(logger, args.Context.OperationKey!, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, error.GetType().Name, error.Message);
                return ValueTask.CompletedTask;
            },
        }).Build();

    /// <summary>Whether the Polly pipeline was built: only once a retry ran, never at startup.</summary>
    public bool PipelineBuilt => _pipeline is { IsValueCreated: true };

    /// <summary>Whether reads are retried.</summary>
    public bool RetriesReads { get; }

    /// <summary>Whether commits are run again.</summary>
    public bool RetriesCommits { get; }

    /// <summary>
    /// Records that a connection to the server opened: from then on, a server that takes no connection is taken as
    /// restarting or failing over, and given <see cref="ResilienceOptions.MaxUnavailableTime"/> to come back.
    /// </summary>
    public void Reached()
    {
        // Read before it is written: a shared field written on every open would bounce between the cores' caches.
        if (!_reached)
        {
            _reached = true;
        }
    }

    /// <summary>Whether a connection opened since this policy was made, or <see cref="Reached"/> was called for another reason.</summary>
    public bool ReachedBefore => _reached;

    /// <summary>Whether a write's connection that did not open is opened again (nothing was sent on it; the write itself never runs twice).</summary>
    public bool RetriesOpens { get; }

    /// <summary>Whether <paramref name="error"/> is worth another attempt: the engine calls it transient or a lost connection.</summary>
    public bool IsRetryable(Exception error) => Kind(error) != DatabaseErrorKind.Permanent;

    /// <summary>
    /// What <paramref name="error"/> means for trying again: a wrapped statement error carries it, the provider tells for
    /// any other. A connection that did not open is retried when nothing answered at once or the server took no
    /// connection for now (a restart, a failover); a timeout only once the server was reached before, inside
    /// <see cref="ResilienceOptions.MaxUnavailableTime"/> (an address that answers nothing while it moves, a pooler holding
    /// logins until it has a server), since otherwise it already used the time given to connecting; never credentials or a
    /// database name that fail again.
    /// </summary>
    public DatabaseErrorKind Kind(Exception error) => error switch
    {
        DatabaseCommandException failed => failed.ErrorKind,
        DatabaseConnectionException { Failure: ConnectionFailureKind.Unreachable or ConnectionFailureKind.ServerUnavailable or ConnectionFailureKind.ConnectionLimit } => DatabaseErrorKind.Transient,
        DatabaseConnectionException { Failure: ConnectionFailureKind.TimedOut } when WindowApplies => DatabaseErrorKind.Transient,
        DatabaseConnectionException => DatabaseErrorKind.Permanent,
        OperationCanceledException => DatabaseErrorKind.Permanent,
        _ => _provider.Classify(error),
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> again, after <paramref name="firstFailure"/> ended the first attempt, until it
    /// succeeds, fails with an error that is not retryable, or the retries run out (then the last error is thrown).
    /// </summary>
    /// <param name="async">False for the synchronous API: the attempts then complete synchronously and waits block.</param>
    /// <param name="operation">What is retried (<c>read</c>, <c>commit</c>), for logs and the retries counter.</param>
    /// <param name="firstFailure">The error that ended the first attempt, which ran outside the pipeline.</param>
    /// <param name="attempt">One more attempt, given <paramref name="async"/>, <paramref name="state"/> and the token.</param>
    /// <param name="state">What the attempt needs (so it can be a static lambda).</param>
    /// <param name="cancellationToken">Stops the waits and the attempts.</param>
    public async ValueTask<T> RetryAsync<T, TState>(bool async, string operation, Exception firstFailure, Func<bool, TState, CancellationToken, ValueTask<T>> attempt, TState state, CancellationToken cancellationToken)
    {
        // Built (on the first retry of the process) before the budget starts its clock, so the build's cost is not taken
        // from MaxUnavailableTime: under load it took most of a 1 s window (UnavailableServerTests saw 2 attempts, not 3+).
        var pipeline = _pipeline!.Value.Pipeline;
        var attempts = new Attempts<T, TState>(firstFailure, attempt, state, async);
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        var budget = new RetryBudget(_maxRetries, _maxUnavailableTime);
        context.Properties.Set(Keys.Budget, budget);
        try
        {
            return async
                ? await pipeline.ExecuteAsync(static (context, attempts) => attempts.NextAsync(context.CancellationToken), context, attempts).ConfigureAwait(false)
                : pipeline.Execute(static (context, attempts) => attempts.NextAsync(context.CancellationToken).GetAwaiter().GetResult(), context, attempts);
        }
        catch (DatabaseConnectionException error) when (budget.WindowEnded)
        {
            throw error.AfterWaiting(_maxUnavailableTime);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // Whether a server that is away gets the MaxUnavailableTime window: it was reached before, and the window is on.
    private bool WindowApplies => _reached && _maxUnavailableTime > TimeSpan.Zero;

    // A server reached before that is away (refused, not answering, starting up or shutting down, or a pooler in front with
    // no server to give): nothing of the call was sent (the causal-reads wait sent only its read-only wait). A connect that
    // timed out is one too: the window's clock bounds how many such waits a call makes. A server at its connection limit is
    // up and saturated: it keeps MaxRetries, since retrying for long would only add to its load.
    private bool Unavailable(Exception error) =>
        WindowApplies
        && (error is DatabaseConnectionException { Failure: ConnectionFailureKind.Unreachable or ConnectionFailureKind.ServerUnavailable or ConnectionFailureKind.TimedOut }
            || error is DatabaseCommandException { ErrorKind: not DatabaseErrorKind.Permanent, ServerUnavailable: true });

    // How long the next attempt may take when the window decides: a connect that timed out, another connect timeout, which
    // must end inside the window, so that a call waits the window and one connect (the first), not a connect more.
    private static TimeSpan NextAttemptMayTake(Exception error) =>
        error is DatabaseConnectionException { Failure: ConnectionFailureKind.TimedOut, ConnectTimeout: { } timeout } ? timeout : TimeSpan.Zero;

    // Inside the window, with a BaseDelay under MinUnavailableDelay: waits growing from MinUnavailableDelay up to MaxDelay
    // (at least MinUnavailableDelay), with jitter; null (Polly's backoff) for any other failure.
    private TimeSpan? UnavailableDelay(Exception? error, int attempt, TimeSpan maxDelay)
    {
        if (error is null || !Unavailable(error))
        {
            return null;
        }

        var ceiling = Math.Max(maxDelay.Ticks, MinUnavailableDelay.Ticks);
        var grown = Math.Min(ceiling, MinUnavailableDelay.Ticks << Math.Min(attempt, 16));
        return TimeSpan.FromTicks(Math.Max(MinUnavailableDelay.Ticks, (long)(grown * (0.5 + Random.Shared.NextDouble()))));
    }

    // Polly's pipeline and key, in classes of their own: RetryPolicy is made at every start, and only a retry uses Polly
    // (issue 19 item 1). Measured with the JIT: with a Lazy<ResiliencePipeline> field and the key (a Polly struct) as a
    // static of RetryPolicy, a start loaded Polly.Core; with the key a static of RetryPipeline it still did; as below it
    // does not (ColdStartAssembliesTests). Which reference made the runtime load it was not traced.
    private sealed class RetryPipeline(ResiliencePipeline pipeline)
    {
        public ResiliencePipeline Pipeline => pipeline;
    }

    private static class Keys
    {
        public static readonly ResiliencePropertyKey<RetryBudget> Budget = new("premix.retry-budget");
    }

    // One call's retries: MaxRetries for every failure but a server that is away, which gets retries until MaxUnavailableTime
    // has passed since the call's first failure, each one's attempt (nextAttempt long at most) ending inside it.
    private sealed class RetryBudget(int maxRetries, TimeSpan maxUnavailableTime)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _retries;

        // Whether the call stopped because the window ran out, so its error says how long it kept trying.
        public bool WindowEnded { get; private set; }

        public bool Allows(bool unavailable, TimeSpan nextAttempt)
        {
            if (!unavailable)
            {
                WindowEnded = false;
                return _retries++ < maxRetries;
            }

            WindowEnded = Stopwatch.GetElapsedTime(_started) + nextAttempt >= maxUnavailableTime;
            return !WindowEnded;
        }
    }

    // The pipeline's attempts: the first replays the failure that brought us here, the others run the operation.
    private sealed class Attempts<T, TState>(Exception firstFailure, Func<bool, TState, CancellationToken, ValueTask<T>> attempt, TState state, bool async)
    {
        private Exception? _replay = firstFailure;

        public ValueTask<T> NextAsync(CancellationToken cancellationToken)
        {
            if (_replay is { } failure)
            {
                _replay = null;
                ExceptionDispatchInfo.Throw(failure);
            }

            return attempt(async, state, cancellationToken);
        }
    }
}
