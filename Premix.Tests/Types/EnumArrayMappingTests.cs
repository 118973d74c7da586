using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Collections of an enum at startup on each engine: mapped <c>StoredAsEnumType</c> they are arrays of the enum type on
/// PostgreSQL (<see cref="EnumArrayTests"/>) and refused on SQLite and MySQL/MariaDB, which have no array types; without
/// <c>StoredAsEnumType</c> they are refused everywhere, since an array of numbers or names is no enum array.
/// </summary>
public sealed class EnumArrayMappingTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public void Enum_arrays_of_an_enum_type_start_on_PostgreSQL_and_are_refused_elsewhere_with_StoredAsJson_as_the_fix()
    {
        IPremix Start() => CreatePremix(p => p.AddModelConfiguration(new ReviewMap()));

        if (Engine == Engine.PostgreSql)
        {
            using var premix = Start();
            var ratings = premix.Model.Entities.Single().Properties.Single(p => p.Name == "Ratings");
            Assert.That((ratings.ArrayElementType, ratings.EnumType?.Name), Is.EqualTo((typeof(Rating), ReviewMap.EnumType)));
            return;
        }

        var error = Assert.Throws<MappingException>(() => Start().Dispose())!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain($"Review.Ratings: is a Rating[], which PostgreSQL stores as an array column, but {(Engine == Engine.Sqlite ? "SQLite" : "MySQL/MariaDB")} has no array types."));
            Assert.That(error.Message, Does.Contain("Review.History: is a List<Rating>").And.Contain("Review.Partial: is a Rating?[]"));
            Assert.That(error.Message, Does.Contain("StoredAsJson() in place of StoredAsEnumType(...)"));
        }
    }

    [Test]
    public void An_enum_array_without_StoredAsEnumType_is_refused_on_every_engine_naming_the_enum_type_to_declare()
    {
        var error = Assert.Throws<MappingException>(() => CreatePremix(p => p.AddModelConfiguration(new NumberReviewMap())).Dispose())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.Contain("Review.Ratings: is a collection of the enum Rating, which a column stores only as an array of a database enum type (rating[] on PostgreSQL), not as numbers or names."));
            Assert.That(error.Message, Does.Contain("Map it StoredAsEnumType(\"rating\") on PostgreSQL, StoredAsJson() to keep the values as one JSON document on any engine, or Ignore(x => x.Ratings)."));
            Assert.That(error.Message, Does.Contain("Review.History: is a collection of the enum Rating").And.Contain("Review.Partial: is a collection of the enum Rating"));
        }
    }

    private sealed class NumberReviewMap : ModelConfiguration<Review>
    {
        public override void Configure(EntityBuilder<Review> e)
        {
            e.ToTable(ReviewMap.Table);
            e.Property(r => r.History).StoredAsNumber();
        }
    }
}
