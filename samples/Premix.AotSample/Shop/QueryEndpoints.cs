using System.Collections.ObjectModel;
using Premix;

namespace AotShop;

/// <summary>
/// The query shapes the generated model does not write code for, as a native AOT application calls them: a <c>Where</c>
/// over captured locals, a captured object's members and a static field, <c>Contains</c> on a list, a lazy sequence, a
/// set, and a read-only collection, a struct made without a constructor (refused), <c>Select</c> into a class,
/// a record, an anonymous type and a single column, ordering with paging, and <c>Include</c> (docs/aot.md).
/// </summary>
internal static class QueryEndpoints
{
    // Read by the Where below as a static field (a member with no instance), not a constant.
    private static readonly decimal Cheapest = 0.01m;

    /// <summary>Maps the <c>/queries</c> group; every list is of the books of <c>authorId</c>.</summary>
    public static IEndpointRouteBuilder MapQueries(this IEndpointRouteBuilder app)
    {
        var queries = app.MapGroup("/queries");
        queries.MapGet("/cheaper", async (long authorId, decimal max, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            var range = new PriceRange(0m, max);
            return TypedResults.Ok(await repository.Query()
                .Where(b => b.AuthorId == authorId && b.Price >= Cheapest && b.Price >= range.Min && b.Price <= range.Max).OrderBy(b => b.Id).ToListAsync(cancellationToken));
        });
        queries.MapGet("/by-authors", async (long[] ids, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            List<long> authors = [.. ids];
            return TypedResults.Ok(await repository.Query().Where(b => authors.Contains(b.AuthorId)).OrderBy(b => b.Id).ToListAsync(cancellationToken));
        });
        // A lazy sequence (read once, into a list, before the query looks at it) and a set: both are lists to Contains.
        queries.MapGet("/by-authors-lazy", async (long[] ids, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            var authors = ids.Where(id => id > 0);
            return TypedResults.Ok(await repository.Query().Where(b => authors.Contains(b.AuthorId)).OrderBy(b => b.Id).ToListAsync(cancellationToken));
        });
        queries.MapGet("/by-authors-set", async (long[] ids, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            HashSet<long> authors = [.. ids];
            return TypedResults.Ok(await repository.Query().Where(b => authors.Contains(b.AuthorId)).OrderBy(b => b.Id).ToListAsync(cancellationToken));
        });
        // A read-only collection: a list that is neither an array nor a List<T> (whether it may hold a null is read from its elements).
        queries.MapGet("/by-authors-readonly", async (long[] ids, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            var authors = new ReadOnlyCollection<long>(ids);
            return TypedResults.Ok(await repository.Query().Where(b => authors.Contains(b.AuthorId)).OrderBy(b => b.Id).ToListAsync(cancellationToken));
        });
        // Refused under native AOT: a struct made without a constructor inside the lambda (docs/aot.md says what to write instead).
        queries.MapGet("/from-default", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId && b.Price >= new PriceFloor().Min).ToListAsync(cancellationToken)));
        queries.MapGet("/titles", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId).OrderBy(b => b.Title)
                .Select(b => new BookTitle { Title = b.Title, Price = b.Price }).ToListAsync(cancellationToken)));
        queries.MapGet("/lines", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId).OrderBy(b => b.Id)
                .Select(b => new BookLine(b.Id, b.Title)).ToListAsync(cancellationToken)));
        queries.MapGet("/anonymous", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
        {
            var rows = await repository.Query().Where(b => b.AuthorId == authorId).OrderBy(b => b.Id)
                .Select(b => new { b.Title, b.Version }).ToListAsync(cancellationToken);
            return TypedResults.Ok(rows.Select(r => $"{r.Title} v{r.Version}").ToList());
        });
        queries.MapGet("/prices", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId).OrderBy(b => b.Id).Select(b => b.Price).ToListAsync(cancellationToken)));
        queries.MapGet("/page", async (long authorId, int skip, int take, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId)
                .OrderByDescending(b => b.Price).ThenBy(b => b.Id).Skip(skip).Take(take).ToListAsync(cancellationToken)));
        queries.MapGet("/with-books", async Task<IResult> (long authorId, IRepository<Author> repository, CancellationToken cancellationToken) =>
            await repository.Query().Where(a => a.Id == authorId).Include(a => a.Books).FirstOrDefaultAsync(cancellationToken) is { } author
                ? TypedResults.Ok(author)
                : TypedResults.NotFound());
        return app;
    }
}
