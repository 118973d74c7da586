using Premix.Repositories;

namespace Premix.WebApi.Library;

/// <summary>
/// The HTTP API over authors and books. Handlers only read, change and commit: a missing row, a failed validation, a
/// duplicate e-mail, a missing or still-referenced author and a stale update are Premix exceptions, which
/// <c>AddPremixProblemDetails</c> turns into 404, 400 and 409 problem details.
/// </summary>
public static class LibraryEndpoints
{
    /// <summary>The largest page a client may ask for.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Maps <c>/authors</c> and <c>/books</c>.</summary>
    public static IEndpointRouteBuilder MapLibrary(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authors = app.MapGroup("/authors");
        authors.MapGet("/", ListAuthorsAsync);
        authors.MapGet("/{id:long}", async (long id, IRepository<Author> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.GetAsync(id, cancellationToken)));
        authors.MapPost("/", CreateAuthorAsync);
        authors.MapPut("/{id:long}", UpdateAuthorAsync);
        authors.MapDelete("/{id:long}", DeleteAuthorAsync);

        var books = app.MapGroup("/books");
        books.MapGet("/{id:long}", async (long id, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.GetAsync(id, cancellationToken)));
        books.MapPost("/", CreateBookAsync);
        books.MapPut("/{id:long}", UpdateBookAsync);
        return app;
    }

    private static async Task<IResult> ListAuthorsAsync(IRepository<Author> repository, string? name, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = (page ?? 1, pageSize ?? 20);
        if (number < 1 || size < 1 || size > MaxPageSize)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["page"] = number < 1 ? ["page starts at 1."] : [],
                ["pageSize"] = size < 1 || size > MaxPageSize ? [$"pageSize is between 1 and {MaxPageSize}."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        var query = name is null ? repository.Query() : repository.Query().Where(a => a.Name.StartsWith(name));
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(a => a.Id).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<Author>(items, number, size, total));
    }

    private static async Task<IResult> CreateAuthorAsync(AuthorInput input, IUnitOfWork uow, CancellationToken cancellationToken)
    {
        var author = new Author { Name = input.Name, Email = input.Email };
        uow.Repository<Author>().Add(author);
        await uow.CommitAsync(cancellationToken);
        return TypedResults.Created($"/authors/{author.Id}", author);
    }

    private static async Task<IResult> UpdateAuthorAsync(long id, AuthorInput input, IUnitOfWork uow, CancellationToken cancellationToken)
    {
        var author = await uow.Repository<Author>().GetAsync(id, cancellationToken);
        (author.Name, author.Email) = (input.Name, input.Email);
        await uow.CommitAsync(cancellationToken);
        return TypedResults.Ok(author);
    }

    private static async Task<IResult> DeleteAuthorAsync(long id, IUnitOfWork uow, CancellationToken cancellationToken)
    {
        var authors = uow.Repository<Author>();
        authors.Remove(await authors.GetAsync(id, cancellationToken));
        await uow.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> CreateBookAsync(BookInput input, IUnitOfWork uow, CancellationToken cancellationToken)
    {
        var book = new Book { AuthorId = input.AuthorId, Title = input.Title, Price = input.Price, Stock = input.Stock };
        uow.Repository<Book>().Add(book);
        await uow.CommitAsync(cancellationToken);
        return TypedResults.Created($"/books/{book.Id}", book);
    }

    // Reads the current row, changes it and commits: when another request committed in between, the version no longer
    // matches and the commit fails with a ConcurrencyException (409); the client reads again and retries.
    private static async Task<IResult> UpdateBookAsync(long id, BookInput input, IUnitOfWork uow, CancellationToken cancellationToken)
    {
        var book = await uow.Repository<Book>().GetAsync(id, cancellationToken);
        (book.AuthorId, book.Title, book.Price, book.Stock) = (input.AuthorId, input.Title, input.Price, input.Stock);
        await uow.CommitAsync(cancellationToken);
        return TypedResults.Ok(book);
    }
}

/// <summary>What a client sends to create or change an author.</summary>
public sealed record AuthorInput(string Name, string Email);

/// <summary>What a client sends to create or change a book.</summary>
public sealed record BookInput(long AuthorId, string Title, decimal Price, int Stock);

/// <summary>One page of a list, with the total count of the filtered rows.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
