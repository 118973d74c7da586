using Premix.Migrations;
using Premix.Providers.MySql;

namespace Premix.Tests.Migrations;

/// <summary>
/// MySQL and MariaDB accept many names for one type and read a column back with display widths and default arguments
/// written out: a mapping's HasColumnType, the DDL Premix writes and COLUMN_TYPE must compare as the same type, and a
/// change of type is a widening exactly when the new type holds every old value (no server needed).
/// </summary>
public sealed class MySqlTypeSpellingTests
{
    private static readonly MySqlProvider Provider = new("Server=localhost;Database=spelling");

    [OneTimeTearDown]
    public static void DisposeProvider() => Provider.Dispose();

    [TestCase("INT", "int(11)")]
    [TestCase("integer", "int(11)")]
    [TestCase("smallint unsigned", "smallint(5) unsigned")]
    [TestCase("MEDIUMINT UNSIGNED", "mediumint(8) unsigned")]
    [TestCase("BIGINT", "bigint(20)")]
    [TestCase("TINYINT UNSIGNED", "tinyint(3) unsigned")]
    [TestCase("TINYINT(1)", "tinyint(1)")]
    [TestCase("bool", "tinyint(1)")]
    [TestCase("BOOLEAN", "tinyint(1)")]
    [TestCase("decimal", "decimal(10,0)")]
    [TestCase("numeric(12)", "decimal(12,0)")]
    [TestCase("DEC(5,2)", "decimal(5,2)")]
    [TestCase("real", "double")]
    [TestCase("double precision", "double")]
    [TestCase("float(53)", "double")]
    [TestCase("float(10)", "float")]
    [TestCase("datetime(0)", "datetime")]
    [TestCase("TIMESTAMP(0)", "timestamp")]
    [TestCase("DATETIME(6)", "datetime(6)")]
    [TestCase("char", "char(1)")]
    [TestCase("character varying(20)", "varchar(20)")]
    [TestCase("national varchar(20)", "varchar(20)")]
    [TestCase("VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", "varchar(40)")]
    [TestCase("year(4)", "year")]
    [TestCase("LONGTEXT", "longtext")]
    public void Spellings_of_one_type_compare_equal(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.True);

    [TestCase("TINYINT(1)", "tinyint(4)")]
    [TestCase("INT", "int(10) unsigned")]
    [TestCase("DATETIME(6)", "datetime")]
    [TestCase("LONGTEXT", "text")]
    [TestCase("LONGBLOB", "mediumblob")]
    [TestCase("VARCHAR(20)", "varchar(21)")]
    [TestCase("CHAR(20)", "varchar(20)")]
    [TestCase("DECIMAL(10,2)", "decimal(10,0)")]
    [TestCase("DATETIME", "timestamp")]
    public void Different_types_do_not(string mapped, string introspected) =>
        Assert.That(Provider.SchemaSupport()!.Schema.SameType(mapped, introspected), Is.False);

    [TestCase("smallint(5) unsigned", "INT")]
    [TestCase("mediumint(8) unsigned", "INT")]
    [TestCase("int(10) unsigned", "BIGINT")]
    [TestCase("tinyint(3) unsigned", "SMALLINT")]
    [TestCase("tinyint(1)", "SMALLINT")]
    [TestCase("int(11)", "DECIMAL(10,0)")]
    [TestCase("decimal(4,2)", "DECIMAL(5,2)")]
    [TestCase("float", "DOUBLE")]
    [TestCase("int(11)", "DOUBLE")]
    [TestCase("text", "LONGTEXT")]
    [TestCase("tinytext", "VARCHAR(255)")]
    [TestCase("varchar(255)", "TEXT")]
    [TestCase("char(20)", "VARCHAR(20)")]
    [TestCase("blob", "LONGBLOB")]
    [TestCase("mediumblob", "LONGBLOB")]
    [TestCase("varbinary(16)", "BLOB")]
    [TestCase("datetime", "DATETIME(6)")]
    [TestCase("timestamp", "DATETIME(6)")]
    [TestCase("time", "TIME(6)")]
    [TestCase("enum('a','b')", "enum('a','b','c')")]
    [TestCase("enum('happy','calm')", "ENUM('happy','very_sad','calm')")] // a label added to a StoredAsEnumType enum: MySQL keeps values by label
    public void Widenings_keep_every_value(string from, string to) =>
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.Widening));

    [TestCase("INT", "smallint unsigned")]
    [TestCase("int(11)", "int unsigned")]
    [TestCase("int(10) unsigned", "INT")]
    [TestCase("bigint(20)", "DOUBLE")]
    [TestCase("decimal(5,2)", "DECIMAL(5,3)")]
    [TestCase("decimal(12,0)", "INT")]
    [TestCase("double", "FLOAT")]
    [TestCase("longtext", "TEXT")]
    [TestCase("text", "VARCHAR(100)")]
    [TestCase("varchar(16384)", "TEXT")]
    [TestCase("longblob", "BLOB")]
    [TestCase("binary(16)", "BINARY(20)")]
    [TestCase("datetime(6)", "DATETIME")]
    [TestCase("datetime", "TIMESTAMP")]
    [TestCase("int(11)", "VARCHAR(20)")]
    [TestCase("date", "DATETIME")]
    [TestCase("enum('a','b','c')", "enum('a','c')")]
    [TestCase("enum('a','b')", "varchar(1)")]
    public void Changes_that_can_lose_values_are_flagged(string from, string to)
    {
        Assert.That(Provider.SchemaSupport()!.Schema.CompareTypes(from, to), Is.EqualTo(TypeChange.MayLoseValues));
        Assert.That(Provider.SchemaSupport()!.Schema.Narrowing(from, to), Is.EqualTo($"changing {from} to {to} can lose or reject existing values"));
    }
}
