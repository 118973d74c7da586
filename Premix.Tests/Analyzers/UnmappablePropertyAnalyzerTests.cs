using Premix.Analyzers.Mapping;

namespace Premix.Tests.Analyzers;

/// <summary>PMX1004: a settable property of a type no convention stores, which the map does not name, is reported on the map; every conventional or named one is not.</summary>
public sealed class UnmappablePropertyAnalyzerTests
{
    private const string Snippet = """
        using System;
        using System.Collections.Generic;
        using Premix.Mapping;

        public sealed class Money
        {
            public decimal Amount { get; set; }
        }

        public enum Status { Open, Closed }

        public readonly record struct OrderId(int Value);

        public sealed class Order
        {
            public int Id { get; set; }

            public OrderId Number { get; set; }

            public Status Status { get; set; }

            public string[] Tags { get; set; } = [];

            public List<int> Quantities { get; set; } = [];

            public Uri? Link { get; set; }

            public DateTimeOffset? ShippedAt { get; set; }

            public byte[] Receipt { get; set; } = [];

            public Money Total => new();

            PROPERTY
        }

        public sealed class OrderMap : ModelConfiguration<Order>
        {
            public override void CONFIGURE(EntityBuilder<Order> e)
            {
                e.ToTable("orders");
                MAPPING
            }
        }

        public static class Model
        {
            public static ModelBuilder Build() => new ModelBuilder().Add(new OrderMap())MODEL;
        }
        """;

    private static Task VerifyAsync(string property, string mapping = "", string model = "", bool reported = false) =>
        AnalyzerRun.VerifyAsync<UnmappablePropertyAnalyzer>(Snippet
            .Replace("PROPERTY", property, StringComparison.Ordinal)
            .Replace("MAPPING", mapping, StringComparison.Ordinal)
            .Replace("MODEL", model, StringComparison.Ordinal)
            .Replace("CONFIGURE", reported ? "{|PMX1004:Configure|}" : "Configure", StringComparison.Ordinal));

    [Test]
    public Task PMX1004_reports_a_property_of_a_class_type_the_map_does_not_name() =>
        VerifyAsync("public Money Price { get; set; } = new();", reported: true);

    [Test]
    public Task PMX1004_reports_a_collection_of_objects_the_map_does_not_relate() =>
        VerifyAsync("public List<Money> Payments { get; set; } = [];", reported: true);

    [Test]
    public Task PMX1004_accepts_scalars_enums_arrays_uris_strongly_typed_ids_and_read_only_properties() =>
        VerifyAsync(string.Empty);

    [TestCase("e.Ignore(o => o.Price);", TestName = "PMX1004 accepts a property the map ignores")]
    [TestCase("e.Owns(o => o.Price);", TestName = "PMX1004 accepts a property the map owns as a value object")]
    [TestCase("e.Property(o => o.Price).StoredAsJson();", TestName = "PMX1004 accepts a property the map stores as JSON")]
    public Task Accepts_a_property_the_map_names(string mapping) =>
        VerifyAsync("public Money Price { get; set; } = new();", mapping);

    [Test]
    public Task PMX1004_accepts_a_type_the_model_converts_everywhere() =>
        VerifyAsync("public Money Price { get; set; } = new();", model: ".Convert<Money, decimal>(m => m.Amount, d => new Money { Amount = d })");
}
