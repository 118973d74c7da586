using Premix.Migrations;
using Premix.Providers.PostgreSql;

namespace Premix.Tests.Migrations;

/// <summary>
/// PostgreSQL accepts several names for one type, and format_type reads a column back in its own: a mapping's
/// HasColumnType, the DDL Premix writes and a column made by hand must compare as the same type, and a change of type is a
/// widening exactly when the new type holds every old value (no server needed).
/// </summary>
public sealed class PostgreSqlTypeSpellingTests
{
    private static readonly PostgreSqlProvider Provider = new("Host=localhost;Database=spelling");

    [OneTimeTearDown]
    public static void DisposeProvider() => Provider.Dispose();

    [TestCase("timestamptz", "timestamp with time zone")]
    [TestCase("timestamp(6) with time zone", "timestamp with time zone")]
    [TestCase("TIMESTAMPTZ(6)", "timestamp with time zone")]
    [TestCase("timestamptz(3)", "timestamp(3) with time zone")]
    [TestCase("timestamp", "timestamp without time zone")]
    [TestCase("timestamp(6) without time zone", "timestamp without time zone")]
    [TestCase("timestamp(6)", "timestamp without time zone")]
    [TestCase("time(6)", "time without time zone")]
    [TestCase("timetz", "time with time zone")]
    [TestCase("varchar(20)", "character varying(20)")]
    [TestCase("int4", "integer")]
    [TestCase("int8", "bigint")]
    [TestCase("bool", "boolean")]
    [TestCase("decimal(10,2)", "numeric(10,2)")]
    [TestCase("char(36)", "character(36)")]
    public void Spellings_of_one_type_compare_equal(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.True);

    [TestCase("timestamptz", "timestamp without time zone")]
    [TestCase("timestamp", "timestamp with time zone")]
    [TestCase("timestamp(3)", "timestamp without time zone")]
    [TestCase("time with time zone", "time without time zone")]
    [TestCase("varchar(20)", "character varying(50)")]
    [TestCase("integer", "bigint")]
    public void Different_types_do_not(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.False);

    [TestCase("smallint", "integer")]
    [TestCase("integer", "bigint")]
    [TestCase("integer", "numeric(10,0)")]
    [TestCase("numeric(10,2)", "numeric(12,2)")]
    [TestCase("numeric(10,2)", "numeric")]
    [TestCase("integer", "double precision")]
    [TestCase("real", "double precision")]
    [TestCase("character varying(20)", "varchar(50)")]
    [TestCase("character varying(20)", "text")]
    [TestCase("timestamp(0) without time zone", "timestamp(6) without time zone")]
    [TestCase("timestamp(3) with time zone", "timestamptz")]
    [TestCase("time(0) without time zone", "time(6)")]
    public void Widenings_keep_every_value(string from, string to) =>
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.Widening));

    [TestCase("integer", "smallint")]
    [TestCase("bigint", "double precision")]
    [TestCase("numeric(10,2)", "numeric(11,4)")]
    [TestCase("numeric", "numeric(30,10)")]
    [TestCase("text", "varchar(100)")]
    [TestCase("character(20)", "varchar(20)")]
    [TestCase("timestamp without time zone", "timestamp with time zone")]
    [TestCase("timestamp(6) without time zone", "timestamp(0) without time zone")]
    [TestCase("integer", "text")]
    [TestCase("date", "timestamp without time zone")]
    public void Changes_that_can_lose_values_are_flagged(string from, string to) =>
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.MayLoseValues));
}
