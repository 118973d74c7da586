namespace Premix.Testing;

/// <summary>Runs the raw statements of the fake or of one of its units of work: records each one and answers it as scripted.</summary>
internal sealed class FakeRawRunner(FakePremix premix, bool inUnitOfWork) : IRawRunner
{
    public Task<List<T>> FetchAsync<T>(RawQuery query, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(premix.AnswerRaw(query, RawStatementKind.Fetch, inUnitOfWork, (response, statement) => response.Rows<T>(statement, limit)));

    public Task<T?> ScalarAsync<T>(RawQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(premix.AnswerRaw(query, RawStatementKind.Scalar, inUnitOfWork, (response, statement) => response.Scalar<T>(statement)));

    public Task<int> ExecuteAsync(RawQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(premix.AnswerRaw(query, RawStatementKind.Execute, inUnitOfWork, (response, statement) => response.Affected(statement)));
}
