using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Premix.Tests.Infrastructure;

/// <summary>Keeps every log line written, so tests can assert on what was (and was not) logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(_entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(EventId, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((eventId, logLevel, formatter(state, exception)));
    }
}
