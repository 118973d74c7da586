using Premix.Migrations;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Migrations;

/// <summary>
/// SQLite takes any text as a declared type and stores values by its affinity alone (sqlite.org, "Datatypes In SQLite"):
/// types of one affinity are the same type, and a change of affinity converts stored values unless the new column keeps
/// them as they are (no server needed).
/// </summary>
public sealed class SqliteTypeSpellingTests
{
    private static readonly SqliteProvider Provider = new("Data Source=spelling.db");

    [TestCase("TEXT", "NVARCHAR(160)")]
    [TestCase("TEXT", "varchar(10)")]
    [TestCase("TEXT", "CLOB")]
    [TestCase("INTEGER", "BIGINT")]
    [TestCase("INTEGER", "int")]
    [TestCase("REAL", "DOUBLE PRECISION")]
    [TestCase("REAL", "FLOAT")]
    [TestCase("NUMERIC(10,2)", "DECIMAL(10,2)")]
    [TestCase("DATETIME", "NUMERIC")]
    [TestCase("BLOB", "")]
    public void Types_of_one_affinity_compare_equal(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.True);

    [TestCase("TEXT", "DATETIME")]
    [TestCase("TEXT", "NUMERIC(10,2)")]
    [TestCase("INTEGER", "BOOLEAN")]
    [TestCase("INTEGER", "REAL")]
    [TestCase("BLOB", "TEXT")]
    public void Types_of_different_affinities_do_not(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.False);

    [TestCase("TEXT", "BLOB")]
    [TestCase("DATETIME", "")]
    [TestCase("INTEGER", "NUMERIC")]
    [TestCase("REAL", "DECIMAL(10,2)")]
    public void Widenings_keep_every_value(string from, string to) =>
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.Widening));

    [TestCase("TEXT", "INTEGER")]
    [TestCase("NVARCHAR(20)", "NUMERIC")]
    [TestCase("NUMERIC(10,2)", "TEXT")]
    [TestCase("INTEGER", "REAL")]
    [TestCase("BLOB", "TEXT")]
    public void Changes_of_affinity_that_convert_values_are_flagged(string from, string to) =>
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.MayLoseValues));
}
