using Premix;

namespace AotShop;

/// <summary>
/// CRUD over authors and books, and one raw report: every call a native AOT application makes through Premix's
/// repositories, unit of work, a filtered query, a bulk update and <c>Raw(...).FetchAs&lt;T&gt;</c>.
/// </summary>
internal static class ShopEndpoints
{
    /// <summary>
    /// Maps <c>/authors</c> (with <c>/authors/in/{city}</c>, by a member of their address), <c>/books</c> (with <c>POST /books/raise-prices</c>) and <c>/report</c> (with <c>/report/author-ids</c>, <c>/report/unregistered</c>
    /// and <c>/report/server</c>); <paramref name="engine"/> is the configured engine, whose SQL names the server.
    /// </summary>
    public static IEndpointRouteBuilder MapShop(this IEndpointRouteBuilder app, ShopEngine engine)
    {
        var authors = app.MapGroup("/authors");
        authors.MapGet("/", async (IRepository<Author> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().OrderBy(a => a.Id).ToListAsync(cancellationToken)));
        authors.MapGet("/{id:long}", async Task<IResult> (long id, IRepository<Author> repository, CancellationToken cancellationToken) =>
            await repository.FindAsync(id, cancellationToken) is { } author ? TypedResults.Ok(author) : TypedResults.NotFound());
        // A query by a member of a value object: a column like any other (address_city), its value a parameter.
        authors.MapGet("/in/{city}", async (string city, IRepository<Author> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(a => a.Address!.City == city).OrderBy(a => a.Id).ToListAsync(cancellationToken)));
        authors.MapPost("/", async (AuthorInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var author = new Author { Name = input.Name, Email = input.Email, Address = input.Address };
            uow.Repository<Author>().Add(author);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Created($"/authors/{author.Id}", author);
        });
        authors.MapPut("/{id:long}", async Task<IResult> (long id, AuthorInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            if (await uow.Repository<Author>().FindAsync(id, cancellationToken) is not { } author)
            {
                return TypedResults.NotFound();
            }

            // The address compared by member with what was read: only the columns of the members that changed are written
            // (GeneratedValueObjectTests proves that on the generated model; NativeAotAppTests checks the columns afterwards).
            (author.Name, author.Email, author.Address) = (input.Name, input.Email, input.Address);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok(author);
        });
        authors.MapDelete("/{id:long}", async Task<IResult> (long id, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var repository = uow.Repository<Author>();
            if (await repository.FindAsync(id, cancellationToken) is not { } author)
            {
                return TypedResults.NotFound();
            }

            repository.Remove(author);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.NoContent();
        });

        var books = app.MapGroup("/books");
        books.MapGet("/", async (long authorId, IRepository<Book> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(b => b.AuthorId == authorId).OrderBy(b => b.Title).ToListAsync(cancellationToken)));
        books.MapGet("/{id:long}", async Task<IResult> (long id, IRepository<Book> repository, CancellationToken cancellationToken) =>
            await repository.FindAsync(id, cancellationToken) is { } book ? TypedResults.Ok(book) : TypedResults.NotFound());
        books.MapPost("/", async (BookInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var book = new Book { AuthorId = input.AuthorId, Title = input.Title, Price = input.Price };
            uow.Repository<Book>().Add(book);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Created($"/books/{book.Id}", book);
        });
        books.MapPut("/{id:long}", async Task<IResult> (long id, BookInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            if (await uow.Repository<Book>().FindAsync(id, cancellationToken) is not { } book)
            {
                return TypedResults.NotFound();
            }

            (book.Title, book.Price) = (input.Title, input.Price);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok(book);
        });

        // One statement computed by the database (a decimal operator in the assignment's lambda), landing with the commit.
        books.MapPost("/raise-prices", async (long authorId, decimal by, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var changed = await uow.Repository<Book>().Query().Where(b => b.AuthorId == authorId).UpdateAllAsync(u => u.Set(b => b.Price, b => b.Price + by), cancellationToken);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok(changed);
        });
        books.MapDelete("/{id:long}", async Task<IResult> (long id, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var repository = uow.Repository<Book>();
            if (await repository.FindAsync(id, cancellationToken) is not { } book)
            {
                return TypedResults.NotFound();
            }

            repository.Remove(book); // deleted under the version it was read with
            await uow.CommitAsync(cancellationToken);
            return TypedResults.NoContent();
        });

        app.MapGet("/report", async (IPremix premix, CancellationToken cancellationToken) =>
            TypedResults.Ok(await premix.Raw($"SELECT a.name AS author, COUNT(b.id) AS books FROM authors a LEFT JOIN books b ON b.author_id = a.id GROUP BY a.name ORDER BY a.name")
                .ReadOnly().FetchAs<AuthorBooks>(cancellationToken)));
        // A single value per row needs no reader; the hole {name} is a parameter.
        app.MapGet("/report/author-ids", async (string name, IPremix premix, CancellationToken cancellationToken) =>
            TypedResults.Ok(await premix.Raw($"SELECT id FROM authors WHERE name = {name} ORDER BY id").ReadOnly().FetchAs<long>(cancellationToken)));
        // A class with no row reader: refused under native AOT with the fix named (shown here as the answer).
        app.MapGet("/report/unregistered", async Task<IResult> (IPremix premix, CancellationToken cancellationToken) =>
        {
            try
            {
                return TypedResults.Ok(await premix.Raw($"SELECT id, name, email FROM authors").ReadOnly().FetchAs<AuthorContact>(cancellationToken));
            }
            catch (NotSupportedException refused)
            {
                return TypedResults.Text(refused.Message, statusCode: StatusCodes.Status501NotImplemented);
            }
        });
        // Which server answered a read-only statement, in the engine's own terms: with read replicas configured, a replica's.
        app.MapGet("/report/server", async (IPremix premix, CancellationToken cancellationToken) => TypedResults.Text(engine switch
        {
            ShopEngine.PostgreSql => await premix.Raw($"SELECT CAST(pg_is_in_recovery() AS TEXT)").ReadOnly().ScalarAs<string>(cancellationToken),
            ShopEngine.MySql => await premix.Raw($"SELECT CAST(@@server_id AS CHAR)").ReadOnly().ScalarAs<string>(cancellationToken),
            _ => await premix.Raw($"SELECT 'sqlite'").ReadOnly().ScalarAs<string>(cancellationToken), // one server, no replica to tell apart
        }));
        return app;
    }
}
