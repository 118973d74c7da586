using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>A hierarchy whose discriminator is an enum stored as a number, and whose two subclasses share one column.</summary>
public sealed class InheritanceEnumDiscriminatorTests(Engine engine) : PremixTest(engine)
{
    public enum ShapeKind
    {
        Circle = 1,
        Square = 2,
    }

    [Test]
    public async Task An_enum_discriminator_and_a_column_shared_by_two_subclasses_round_trip()
    {
        var premix = await CreatePremixWithTablesAsync(new ShapeMap());
        await ExecuteAsync($"INSERT INTO {Q("shapes")} ({Q("Id")}, {Q("Kind")}, {Q("Radius")}, {Q("Side")}, {Q("Label")}) VALUES (1, 1, 2.5, NULL, 'a'), (2, 2, NULL, 3, 'b')");

        await using (var uow = premix.BeginUnitOfWork())
        {
            var shapes = await uow.Repository<Shape>().Query().OrderBy(s => s.Id).ToListAsync();
            var squares = await uow.Repository<Square>().Query().Where(s => s.Label == "b").ToListAsync();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(shapes.Select(s => s.GetType()), Is.EqualTo(new[] { typeof(Circle), typeof(Square) }));
                Assert.That(((Circle)shapes[0]).Label, Is.EqualTo("a"));
                Assert.That(squares.Select(s => s.Side), Is.EqualTo(new[] { 3.0 }));
            }

            uow.Repository<Shape>().Add(new Square { Id = 3, Side = 4, Label = "c" });
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT {Q("Kind")} FROM {Q("shapes")} WHERE {Q("Id")} = 3"), Is.EqualTo(2));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Label")} FROM {Q("shapes")} WHERE {Q("Id")} = 3"), Is.EqualTo("c"));
            Assert.That((await premix.DiffAsync()).IsEmpty, Is.True);
        }
    }

    public abstract class Shape
    {
        public int Id { get; set; }

        public ShapeKind Kind { get; set; }
    }

    public sealed class Circle : Shape
    {
        public double Radius { get; set; }

        public string? Label { get; set; }
    }

    public sealed class Square : Shape
    {
        public double Side { get; set; }

        public string? Label { get; set; }
    }

    private sealed class ShapeMap : ModelConfiguration<Shape>
    {
        public override void Configure(EntityBuilder<Shape> e)
        {
            e.ToTable("shapes");
            e.HasKey(s => s.Id).IsClientAssigned();
            e.HasDiscriminator(s => s.Kind).HasValue<Circle>(ShapeKind.Circle).HasValue<Square>(ShapeKind.Square);
        }
    }
}
