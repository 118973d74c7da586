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

        public readonly struct HiddenId : IEquatable<HiddenId>
        {
            private HiddenId(int value) => Value = value;

            public int Value { get; }

            public bool Equals(HiddenId other) => Value == other.Value;

            public override bool Equals(object? obj) => obj is HiddenId other && Equals(other);

            public override int GetHashCode() => Value;
        }

        public class Audited
        {
            public DateTime UpdatedAt { get; set; }

            BASEPROPERTY
        }

        public sealed class Order : Audited
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

            HELPER
        }

        public static class Model
        {
            public static ModelBuilder Build() => new ModelBuilder().Add(new OrderMap())MODEL;

            public static Premix.PremixOptionsBuilder Options(Premix.PremixOptionsBuilder options) => optionsOPTIONS;
        }

        namespace Contoso.Mapping
        {
            public static class Converters
            {
                public static decimal Convert(decimal value) => value;
            }
        }
        """;

    private static Task VerifyAsync(string property, string mapping = "", string model = "", bool reported = false, string baseProperty = "", string helper = "", string options = "") =>
        AnalyzerRun.VerifyAsync<UnmappablePropertyAnalyzer>(Snippet
            .Replace("BASEPROPERTY", baseProperty, StringComparison.Ordinal)
            .Replace("PROPERTY", property, StringComparison.Ordinal)
            .Replace("HELPER", helper, StringComparison.Ordinal)
            .Replace("OPTIONS", options, StringComparison.Ordinal)
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

    [Test]
    public Task PMX1004_reports_an_unstorable_property_inherited_from_a_base_class_with_no_map() =>
        VerifyAsync(string.Empty, baseProperty: "public Money Extra { get; set; } = new();", reported: true);

    [Test]
    public Task PMX1004_accepts_a_property_the_map_names_in_a_helper_method_of_its_own() =>
        VerifyAsync("public Money Price { get; set; } = new();", mapping: "Relations(e);", helper: "private static void Relations(EntityBuilder<Order> e) => e.Owns(o => o.Price);");

    [Test]
    public Task PMX1004_still_reports_when_the_map_calls_NamingConvention_Convert() =>
        VerifyAsync("public Money Price { get; set; } = new();", mapping: "_ = NamingConvention.SnakeCase.Convert(\"orders\");", reported: true);

    [Test]
    public Task PMX1004_still_reports_when_a_user_namespace_ending_in_Mapping_has_a_Convert() =>
        VerifyAsync("public Money Price { get; set; } = new();", mapping: "_ = Contoso.Mapping.Converters.Convert(1m);", reported: true);

    [Test]
    public Task PMX1004_goes_silent_after_a_model_wide_converter_whose_model_type_it_cannot_see() =>
        VerifyAsync("public Money Price { get; set; } = new();", model: ".Convert(OrderMap.Converter())", helper: "public static ValueConverter Converter() => new ValueConverter<Money, decimal>(m => m.Amount, d => new Money { Amount = d });");

    [Test]
    public Task PMX1004_accepts_a_type_the_options_convert_everywhere() =>
        VerifyAsync("public Money Price { get; set; } = new();", options: ".Convert<Money, decimal>(m => m.Amount, d => new Money { Amount = d })");

    [Test]
    public Task PMX1004_accepts_an_Npgsql_range() =>
        VerifyAsync("public NpgsqlTypes.NpgsqlRange<int> Seats { get; set; }");

    [Test]
    public Task PMX1004_reports_an_array_of_enums_the_map_does_not_store_as_an_enum_type() =>
        VerifyAsync("public Status[] History { get; set; } = [];", reported: true);

    [Test]
    public Task PMX1004_accepts_an_array_of_enums_stored_as_an_enum_type() =>
        VerifyAsync("public Status[] History { get; set; } = [];", mapping: "e.Property(o => o.History).StoredAsEnumType(\"status\");");

    [TestCase("public int[,] Grid { get; set; } = new int[0, 0];", TestName = "PMX1004 reports a two-dimensional array, which is no array column")]
    [TestCase("public byte[][] Chunks { get; set; } = [];", TestName = "PMX1004 reports an array of byte arrays")]
    [TestCase("public List<byte[]> Chunks { get; set; } = [];", TestName = "PMX1004 reports a list of byte arrays")]
    [TestCase("public HiddenId Hidden { get; set; }", TestName = "PMX1004 reports a strongly typed id whose constructor is not public")]
    public Task Reports_a_type_the_conventions_almost_store(string property) =>
        VerifyAsync(property, reported: true);
}
