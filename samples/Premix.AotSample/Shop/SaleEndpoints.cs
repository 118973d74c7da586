using Microsoft.AspNetCore.Mvc;
using Premix;

namespace AotShop;

/// <summary>
/// Sales written many at a time: what PostgreSQL sends as arrays under native AOT (the many-row INSERT and UPDATE from
/// <c>unnest</c>, COPY once a commit's new rows reach the bulk threshold, a captured list compared as <c>= ANY</c>).
/// </summary>
internal static class SaleEndpoints
{
    /// <summary>
    /// Maps <c>POST /sales</c> (a batch, one commit), <c>POST /sales/shipped</c> (the sales of the keys given, one commit) and
    /// <c>POST /sales/tagged</c> (a bulk update of a book's sales), <c>GET /sales/labelled</c> (a book's sales labelled as given)
    /// and <c>GET /sales/rated</c> (a book's sales rated as listed).
    /// </summary>
    public static IEndpointRouteBuilder MapSales(this IEndpointRouteBuilder app)
    {
        var sales = app.MapGroup("/sales");
        sales.MapPost("/", async (SaleInput[] inputs, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var added = inputs.Select(i => new Sale { BookId = i.BookId, Quantity = i.Quantity, Amount = new Cents(i.AmountCents), Rating = i.Rating, SoldAt = i.SoldAt, UnitPrice = i.UnitPrice }).ToList();
            var repository = uow.Repository<Sale>();
            foreach (var sale in added)
            {
                repository.Add(sale);
            }

            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok<IReadOnlyList<long>>([.. added.Select(s => s.Id)]);
        });
        // Ships every sale of the keys given: its status, its amount plus a 100-cent fee, a missing rating set to 5.
        // [FromBody]: a minimal API binds an array of numbers from the query string unless told otherwise.
        sales.MapPost("/shipped", async ([FromBody] long[] ids, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var keys = ids.ToList();
            var found = await uow.Repository<Sale>().Query().Where(s => keys.Contains(s.Id)).OrderBy(s => s.Id).ToListAsync(cancellationToken);
            foreach (var sale in found)
            {
                sale.Status = SaleStatus.Shipped;
                sale.Amount = new Cents(sale.Amount.Value + 100);
                sale.Rating ??= 5;
            }

            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok<IReadOnlyList<long>>([.. found.Select(s => s.Id)]);
        });
        // Sets the labels of every sale of the book in one statement: the set is the value of a converted column, assigned whole.
        sales.MapPost("/tagged", async (long bookId, [FromBody] string[] tags, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            HashSet<string> labels = [.. tags];
            var changed = await uow.Repository<Sale>().Query().Where(s => s.BookId == bookId).UpdateAllAsync(u => u.Set(s => s.Tags, labels), cancellationToken);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok(changed);
        });
        // The keys of a book's sales labelled exactly so: the set is the value of a converted column, compared whole.
        sales.MapGet("/labelled", async (long bookId, string[] tags, IRepository<Sale> repository, CancellationToken cancellationToken) =>
        {
            HashSet<string> labels = [.. tags];
            var found = await repository.Query().Where(s => s.BookId == bookId && s.Tags == labels).OrderBy(s => s.Id).ToListAsync(cancellationToken);
            return TypedResults.Ok<IReadOnlyList<long>>([.. found.Select(s => s.Id)]);
        });
        // The keys of a book's sales rated as listed, the ratings a sequence that can be read once, searched after 64 other
        // captured values (an uncompiled query has no limit on them), in a nullable column (whether the list holds a null
        // changes the SQL).
        sales.MapGet("/rated", async (long bookId, int[] ratings, IRepository<Sale> repository, CancellationToken cancellationToken) =>
        {
            var query = repository.Query().Where(s => s.BookId == bookId);
            for (var i = 1; i < 64; i++)
            {
                var none = -i;
                query = query.Where(s => s.Id != none);
            }

            var rated = new ReadableOnce<int?>(ratings.Select(r => (int?)r));
            var found = await query.Where(s => rated.Contains(s.Rating)).OrderBy(s => s.Id).ToListAsync(cancellationToken);
            return TypedResults.Ok<IReadOnlyList<long>>([.. found.Select(s => s.Id)]);
        });
        return app;
    }
}
