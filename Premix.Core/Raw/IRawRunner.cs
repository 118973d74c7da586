namespace Premix;

/// <summary>
/// Runs raw statements somewhere other than a database: the seam through which Premix.Testing's recording fake records
/// them and answers with what the test scripted.
/// </summary>
internal interface IRawRunner
{
    /// <summary>At most <paramref name="limit"/> rows of <paramref name="query"/> as <typeparamref name="T"/>.</summary>
    Task<List<T>> FetchAsync<T>(RawQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>The first column of the first row of <paramref name="query"/>, or the default of <typeparamref name="T"/>.</summary>
    Task<T?> ScalarAsync<T>(RawQuery query, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="query"/> as a statement and returns the rows it affected.</summary>
    Task<int> ExecuteAsync(RawQuery query, CancellationToken cancellationToken);
}
