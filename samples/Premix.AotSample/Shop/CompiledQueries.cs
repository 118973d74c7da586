using Premix;

namespace AotShop;

/// <summary>
/// Compiled queries (<c>PremixQuery.Compile</c>, docs/queries.md) as a native AOT application holds them: built once in
/// static fields, run per request on the request's repository. With dynamic code off their argument readers are
/// interpreted, not compiled (docs/aot.md).
/// </summary>
internal static class CompiledQueries
{
    // One argument, a parameter of the filter.
    private static readonly PremixQuery<Book, long> ByAuthor =
        PremixQuery.Compile((Query<Book> q, long authorId) => q.Where(b => b.AuthorId == authorId).OrderBy(b => b.Id));

    // Two arguments, one a decimal compared with a column.
    private static readonly PremixQuery<Book, long, decimal> Cheaper =
        PremixQuery.Compile((Query<Book> q, long authorId, decimal max) => q.Where(b => b.AuthorId == authorId && b.Price <= max).OrderBy(b => b.Id));

    // A page computed from the argument (page * 2): a value made by an operator, not only read.
    private static readonly PremixQuery<Book, long, int> Page =
        PremixQuery.Compile((Query<Book> q, long authorId, int page) => q.Where(b => b.AuthorId == authorId).OrderBy(b => b.Id).Skip(page * 2).Take(2));

    // A list argument searched by Contains.
    private static readonly PremixQuery<Book, long[]> ByAuthors =
        PremixQuery.Compile((Query<Book> q, long[] ids) => q.Where(b => ids.Contains(b.AuthorId)).OrderBy(b => b.Id));

    // An Include of a collection.
    private static readonly PremixQuery<Author, long> WithBooks =
        PremixQuery.Compile((Query<Author> q, long authorId) => q.Where(a => a.Id == authorId).Include(a => a.Books));

    /// <summary>Maps the <c>/compiled</c> group: the same answers as the <c>/queries</c> endpoints of the same names, from compiled queries.</summary>
    public static IEndpointRouteBuilder MapCompiledQueries(this IEndpointRouteBuilder app)
    {
        var compiled = app.MapGroup("/compiled");
        compiled.MapGet("/by-author", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await ByAuthor.ToListAsync(repository, authorId, cancellationToken)));
        compiled.MapGet("/cheaper", async (long authorId, decimal max, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await Cheaper.ToListAsync(repository, authorId, max, cancellationToken)));
        compiled.MapGet("/page", async (long authorId, int page, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await Page.ToListAsync(repository, authorId, page, cancellationToken)));
        compiled.MapGet("/by-authors", async (long[] ids, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await ByAuthors.ToListAsync(repository, ids, cancellationToken)));
        compiled.MapGet("/with-books", async Task<IResult> (long authorId, IRepository<Author> repository, CancellationToken cancellationToken) =>
            await WithBooks.FirstOrDefaultAsync(repository, authorId, cancellationToken) is { } author ? TypedResults.Ok(author) : TypedResults.NotFound());
        return app;
    }
}
