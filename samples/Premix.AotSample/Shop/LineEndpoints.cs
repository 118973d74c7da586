using Premix;

namespace AotShop;

/// <summary>
/// Sale lines, keyed by (SaleId, Line): created, read by a tuple key, listed with their notes (an <c>Include</c> through
/// both parts of the key, whose parents are numbered by boxed keys), updated and deleted; and a read by an anonymous key
/// object, which native AOT refuses naming the tuple to pass (docs/aot.md).
/// </summary>
internal static class LineEndpoints
{
    /// <summary>
    /// Maps <c>/lines</c>: <c>POST /lines</c>, <c>GET</c>, <c>PUT</c> and <c>DELETE /lines/{saleId}/{line}</c>,
    /// <c>GET /lines/{saleId}/{line}/by-object</c> and <c>GET /lines/with-notes?saleId=</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapLines(this IEndpointRouteBuilder app)
    {
        var lines = app.MapGroup("/lines");
        lines.MapPost("/", async (LineInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var line = new SaleLine { SaleId = input.SaleId, Line = input.Line, Item = input.Item, Quantity = input.Quantity };
            uow.Repository<SaleLine>().Add(line);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Created($"/lines/{line.SaleId}/{line.Line}", line);
        });
        // A value tuple of the key's types in HasKey order: read without reflection.
        lines.MapGet("/{saleId:long}/{line:int}", async Task<IResult> (long saleId, int line, IRepository<SaleLine> repository, CancellationToken cancellationToken) =>
            await repository.FindAsync((saleId, line), cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound());
        // An anonymous object as the key: its properties would be read by reflection, which native AOT refuses (the message is the answer).
        lines.MapGet("/{saleId:long}/{line:int}/by-object", async Task<IResult> (long saleId, int line, IRepository<SaleLine> repository, CancellationToken cancellationToken) =>
        {
            try
            {
                return await repository.FindAsync(new { SaleId = saleId, Line = line }, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();
            }
            catch (NotSupportedException refused)
            {
                return TypedResults.Text(refused.Message, statusCode: StatusCodes.Status501NotImplemented);
            }
        });
        lines.MapGet("/with-notes", async (long saleId, IRepository<SaleLine> repository, CancellationToken cancellationToken) =>
            TypedResults.Ok(await repository.Query().Where(l => l.SaleId == saleId).OrderBy(l => l.Line).Include(l => l.Notes).ToListAsync(cancellationToken)));
        lines.MapPut("/{saleId:long}/{line:int}", async Task<IResult> (long saleId, int line, LineInput input, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            if (await uow.Repository<SaleLine>().FindAsync((saleId, line), cancellationToken) is not { } found)
            {
                return TypedResults.NotFound();
            }

            (found.Item, found.Quantity) = (input.Item, input.Quantity);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.Ok(found);
        });
        lines.MapDelete("/{saleId:long}/{line:int}", async Task<IResult> (long saleId, int line, IUnitOfWork uow, CancellationToken cancellationToken) =>
        {
            var repository = uow.Repository<SaleLine>();
            if (await repository.FindAsync((saleId, line), cancellationToken) is not { } found)
            {
                return TypedResults.NotFound();
            }

            repository.Remove(found);
            await uow.CommitAsync(cancellationToken);
            return TypedResults.NoContent();
        });
        return app;
    }
}
