namespace Premix.Execution;

/// <summary>A session held by one operation (see <see cref="ISqlSession.Enter"/>); disposing it lets the next one in.</summary>
internal readonly struct SessionUsage(ISqlSession? session) : IDisposable
{
    public void Dispose() => session?.Leave();
}
