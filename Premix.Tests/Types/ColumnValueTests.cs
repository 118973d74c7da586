using System.Globalization;
using Dapper;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// A value its column cannot keep exactly is refused before any SQL, like a string over <c>HasMaxLength</c>, on every
/// engine and on every path (single-row and many-row inserts and updates, <c>UpdateAllAsync</c>): a decimal with more
/// digits than its precision allows, text that is not well-formed UTF-16, and where the engine cannot store them a
/// non-finite double or a NUL character. Nothing is written (checked through plain SQL), and every failure of the commit
/// is listed in one <see cref="ValidationException"/> (docs/types.md).
/// </summary>
public sealed class ColumnValueTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    private string EngineName => Engine switch
    {
        Engine.Sqlite => "SQLite",
        Engine.PostgreSql => "PostgreSQL",
        _ => "MySQL/MariaDB",
    };

    [SetUp]
    public async Task CreateTableAsync() => _premix = await CreatePremixWithTablesAsync(new ChargeMap());

    [TestCase("1.23456", 5, TestName = "A decimal with more decimal places than its scale is refused before SQL (1.23456 into (18, 2))")]
    [TestCase("0.005", 3, TestName = "A decimal with more decimal places than its scale is refused before SQL (0.005 into (18, 2))")]
    [TestCase("-0.001", 3, TestName = "A decimal with more decimal places than its scale is refused before SQL (-0.001 into (18, 2))")]
    public async Task A_decimal_with_more_decimal_places_than_its_scale_is_refused_before_SQL(string text, int places)
    {
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);

        var error = await RefusedAsync(new Charge { Amount = value });

        Assert.That(error.Failures.Single().ToString(), Does.StartWith(
            $"Charge (new, position 1 in the commit).Amount: is {text}, with {places} decimal places; the column keeps 2 (precision 18, scale 2)."));
    }

    [TestCase("10000000000000000", TestName = "A decimal with more integer digits than precision minus scale is refused before SQL (10^16 into (18, 2))")]
    [TestCase("-10000000000000000", TestName = "A decimal with more integer digits than precision minus scale is refused before SQL (-10^16 into (18, 2))")]
    [TestCase("99999999999999999.5", TestName = "A decimal with more integer digits than precision minus scale is refused before SQL (17 digits and a half into (18, 2))")]
    public async Task A_decimal_with_more_integer_digits_than_precision_minus_scale_is_refused_before_SQL(string text)
    {
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);

        var error = await RefusedAsync(new Charge { Amount = value });

        Assert.That(error.Failures.Single().ToString(), Does.StartWith(
            $"Charge (new, position 1 in the commit).Amount: is {text}, with 17 digits before the decimal point; the column keeps 16 (precision 18, scale 2)."));
    }

    [Test]
    public async Task A_decimal_at_the_edges_of_its_precision_is_stored_exactly()
    {
        var largest = new Charge { Amount = 9_999_999_999_999_999.99m, Plain = -9_999_999_999_999_999.99m, Exact = 99.9999m, Salary = 0.01m };
        var trailingZeros = new Charge { Amount = 1.2300000m, Plain = -0.01m, Exact = -99.9999m, Salary = 9_999_999.99m };
        await CommitAsync(largest, trailingZeros);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync<decimal>(largest, "Amount"), Is.EqualTo(9_999_999_999_999_999.99m));
            Assert.That(await StoredAsync<decimal>(largest, "Plain"), Is.EqualTo(-9_999_999_999_999_999.99m));
            Assert.That(await StoredAsync<decimal>(largest, "Exact"), Is.EqualTo(99.9999m));
            Assert.That(await StoredAsync<decimal>(trailingZeros, "Amount"), Is.EqualTo(1.23m), "zeros after the scale are no digits");
            Assert.That(await StoredAsync<decimal>(trailingZeros, "Exact"), Is.EqualTo(-99.9999m));
            Assert.That(await StoredAsync<decimal>(trailingZeros, "Salary"), Is.EqualTo(9_999_999.99m));
        }
    }

    [Test]
    public async Task A_decimal_without_HasPrecision_is_checked_against_the_default_precision_18_2_on_every_engine()
    {
        var error = await RefusedAsync(new Charge { Plain = 1.234m });

        Assert.That(error.Failures.Single().ToString(), Does.StartWith(
            "Charge (new, position 1 in the commit).Plain: is 1.234, with 3 decimal places; the column keeps 2 (precision 18, scale 2)."));
    }

    [Test]
    public async Task A_decimal_on_a_declared_column_type_is_checked_against_the_digits_of_that_type()
    {
        var error = await RefusedAsync(new Charge { Exact = 1.23456m }, new Charge { Exact = 100m });

        Assert.That(error.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "Charge (new, position 1 in the commit).Exact: is 1.23456, with 5 decimal places; the column keeps 4 (column type decimal(6,4)). "
                + "Round the value first, declare a larger scale, or let Premix round it with HasPrecision(6, 4).Rounding(MidpointRounding.ToEven).",
            "Charge (new, position 2 in the commit).Exact: is 100, with 3 digits before the decimal point; the column keeps 2 (column type decimal(6,4)). "
                + "Declare a larger precision, and widen the column to match.",
        }));
    }

    [Test]
    public async Task The_value_of_a_sensitive_decimal_never_shows_in_the_failure()
    {
        var error = await RefusedAsync(new Charge { Salary = 4321.987m }, new Charge { Salary = 12_345_678m });

        Assert.That(error.Failures.Select(f => Sentence(f.ToString())), Is.EqualTo(new[]
        {
            "Charge (new, position 1 in the commit).Salary: is ***, with too many decimal places; the column keeps 2 (precision 9, scale 2).",
            "Charge (new, position 2 in the commit).Salary: is ***, with too many digits before the decimal point; the column keeps 7 (precision 9, scale 2).",
        }));
        Assert.That(error.Message, Does.Not.Contain("4321").And.Not.Contain("12345678"));
        Assert.That(error.Message, Does.Not.Match(@"with \d"), "no digit count tells the value's size");
    }

    [TestCase("Rate", double.NaN)]
    [TestCase("Rate", double.PositiveInfinity)]
    [TestCase("Rate", double.NegativeInfinity)]
    [TestCase("Ratio", float.NaN)]
    [TestCase("Ratio", float.PositiveInfinity)]
    [TestCase("Ratio", float.NegativeInfinity)]
    public async Task A_non_finite_number_is_refused_naming_the_engine_where_it_cannot_be_stored_NaN_on_SQLite_any_on_MariaDB_and_kept_on_PostgreSQL(string property, double value)
    {
        var charge = new Charge();
        if (property == "Rate")
        {
            charge.Rate = value;
        }
        else
        {
            charge.Ratio = (float)value;
        }

        var storable = Engine == Engine.PostgreSql || (Engine == Engine.Sqlite && double.IsInfinity(value));
        if (storable)
        {
            await CommitAsync(charge);
            Assert.That(await StoredAsync<double>(charge, property), Is.EqualTo(value), "kept exactly");
            return;
        }

        var error = await RefusedAsync(charge);

        var shown = double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        var column = Engine == Engine.Sqlite ? "REAL" : "DOUBLE";
        Assert.That(error.Failures.Single().ToString(), Does.StartWith($"Charge (new, position 1 in the commit).{property}: is {shown}, which {EngineName} cannot store in a {column} column."));
    }

    // Built at run time: an attribute's string is stored as UTF-8, where an unpaired surrogate is already U+FFFD.
    public static IEnumerable<TestCaseData> UnpairedSurrogates()
    {
        yield return new TestCaseData("x\uD800y", 1).SetArgDisplayNames("a high surrogate inside");
        yield return new TestCaseData("x\uDC00y", 1).SetArgDisplayNames("a low surrogate inside");
        yield return new TestCaseData("xy\uD83D", 2).SetArgDisplayNames("a high surrogate at the end");
        yield return new TestCaseData("ok \uDE80\uD83D", 3).SetArgDisplayNames("a pair in the wrong order");
        yield return new TestCaseData("🚀🚀\uD83D🚀", 4).SetArgDisplayNames("between pairs");
    }

    [TestCaseSource(nameof(UnpairedSurrogates))]
    public async Task A_string_with_an_unpaired_surrogate_is_refused_before_SQL_on_every_engine(string text, int index)
    {
        var error = await RefusedAsync(new Charge { Memo = text }, new Charge { Note = text });

        Assert.That(error.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            $"Charge (new, position 1 in the commit).Memo: holds an unpaired UTF-16 surrogate at index {index}, half of a character, which {EngineName} cannot store. "
                + "Fix the code that cut or decoded the string.",
            $"Charge (new, position 2 in the commit).Note: holds an unpaired UTF-16 surrogate at index {index}, half of a character, which {EngineName} cannot store. "
                + "Fix the code that cut or decoded the string.",
        }));
    }

    [Test]
    public async Task A_string_with_surrogate_pairs_and_noncharacters_is_stored_exactly()
    {
        var charge = new Charge { Memo = "🚀 a\uFFFE\uFFFF", Note = "\uD83D\uDE80" + new string('x', 10_000) + "\U0010FFFF" };
        await CommitAsync(charge);

        Assert.That(await StoredAsync<string>(charge, "Memo"), Is.EqualTo(charge.Memo));
        Assert.That(await StoredAsync<string>(charge, "Note"), Is.EqualTo(charge.Note));
    }

    [Test]
    public async Task A_NUL_character_is_refused_before_SQL_on_PostgreSQL_and_stored_exactly_on_SQLite_and_MariaDB()
    {
        var charge = new Charge { Memo = "a\0b", Note = "\0" };
        if (Engine != Engine.PostgreSql)
        {
            await CommitAsync(charge);
            Assert.That(await StoredAsync<string>(charge, "Memo"), Is.EqualTo("a\0b"));
            Assert.That(await StoredAsync<string>(charge, "Note"), Is.EqualTo("\0"));
            return;
        }

        var error = await RefusedAsync(charge);

        Assert.That(error.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "Charge (new, position 1 in the commit).Memo: holds a NUL character (U+0000) at index 1, which PostgreSQL cannot store in a varchar(20) column. "
                + "Remove it, or keep such data in a byte[] property.",
            "Charge (new, position 1 in the commit).Note: holds a NUL character (U+0000) at index 0, which PostgreSQL cannot store in a text column. "
                + "Remove it, or keep such data in a byte[] property.",
        }));
    }

    [TestCase(1, TestName = "Every value a commit cannot store is listed with the other failures and nothing is written (single-row writes)")]
    [TestCase(3, TestName = "Every value a commit cannot store is listed with the other failures and nothing is written (many-row writes)")]
    public async Task Every_value_a_commit_cannot_store_is_listed_with_the_other_failures_and_nothing_is_written(int rowsPerKind)
    {
        var loaded = Enumerable.Range(0, rowsPerKind).Select(i => new Charge { Amount = i, Memo = "loaded" }).ToList();
        await CommitAsync([.. loaded]);

        await using var uow = _premix.BeginUnitOfWork();
        var charges = uow.Repository<Charge>();
        foreach (var charge in loaded)
        {
            var tracked = await charges.GetAsync(charge.Id);
            tracked.Amount = 0.125m;
            tracked.Memo = new string('m', 21);
        }

        for (var i = 0; i < rowsPerKind; i++)
        {
            charges.Add(new Charge { Plain = 1e17m, Note = "x\uD800" });
        }

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync())!;

        var expected = loaded.SelectMany(c => new[]
        {
            $"Charge (key {c.Id}).Amount: is 0.125, with 3 decimal places; the column keeps 2 (precision 18, scale 2).",
            $"Charge (key {c.Id}).Memo: is 21 characters long; the maximum is 20 (HasMaxLength).",
        }).Concat(Enumerable.Range(1, rowsPerKind).SelectMany(p => new[]
        {
            $"Charge (new, position {p} in the commit).Plain: is 100000000000000000, with 18 digits before the decimal point; the column keeps 16 (precision 18, scale 2).",
            $"Charge (new, position {p} in the commit).Note: holds an unpaired UTF-16 surrogate at index 1, half of a character, which {EngineName} cannot store.",
        }));
        Assert.That(error.Failures.Select(f => Sentence(f.ToString())), Is.EquivalentTo(expected));
        Assert.That(error.Message, Does.StartWith($"{4 * rowsPerKind} validation failures; nothing was written:"));
        Assert.That(await CountRowsAsync(ChargeMap.Table), Is.EqualTo(rowsPerKind), "no row was added");
        Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(ChargeMap.Table)} WHERE {Q("Memo")} = 'loaded'"), Is.EqualTo(rowsPerKind), "no row was changed");
    }

    [Test]
    public async Task UpdateAllAsync_refuses_every_value_its_columns_cannot_store_and_updates_nothing()
    {
        var charge = new Charge { Amount = 1m, Memo = "before" };
        await CommitAsync(charge);

        await using var uow = _premix.BeginUnitOfWork();
        var error = Assert.ThrowsAsync<ValidationException>(() => uow.Repository<Charge>().Query().Where(c => c.Id == charge.Id)
            .UpdateAllAsync(s => s.Set(c => c.Amount, 2.345m).Set(c => c.Plain, -1e16m).Set(c => c.Memo, "\uDC00").Set(c => c.Salary, 0.001m)))!;

        Assert.That(error.Failures.Select(f => Sentence(f.ToString())), Is.EqualTo(new[]
        {
            "Charge.Amount: is 2.345, with 3 decimal places; the column keeps 2 (precision 18, scale 2).",
            "Charge.Plain: is -10000000000000000, with 17 digits before the decimal point; the column keeps 16 (precision 18, scale 2).",
            $"Charge.Memo: holds an unpaired UTF-16 surrogate at index 0, half of a character, which {EngineName} cannot store.",
            "Charge.Salary: is ***, with too many decimal places; the column keeps 2 (precision 9, scale 2).",
        }));
        Assert.That(await StoredAsync<string>(charge, "Memo"), Is.EqualTo("before"), "nothing was updated");
        Assert.That(await StoredAsync<decimal>(charge, "Amount"), Is.EqualTo(1m));
    }

    [Test]
    public async Task A_query_value_with_an_unpaired_surrogate_is_refused_naming_the_property_and_the_engine()
    {
        var charge = new Charge { Memo = "x\uFFFDy" };
        await CommitAsync(charge);
        var broken = "x\uD800y";
        var names = new[] { broken };

        await using var uow = _premix.BeginUnitOfWork();
        var query = uow.Repository<Charge>().Query();
        var equal = Assert.ThrowsAsync<ArgumentException>(() => query.Where(c => c.Memo == broken).ToListAsync())!;
        var listed = Assert.ThrowsAsync<ArgumentException>(() => query.Where(c => names.Contains(c.Memo)).ToListAsync())!;
        var like = Assert.ThrowsAsync<ArgumentException>(() => query.Where(c => c.Memo.StartsWith(broken)).ToListAsync())!;

        var expected = $"Charge.Memo cannot be compared with a string that holds an unpaired UTF-16 surrogate at index 1, half of a character, which {EngineName} cannot store.";
        Assert.That(equal.Message, Does.StartWith(expected));
        Assert.That(listed.Message, Does.StartWith(expected));
        Assert.That(like.Message, Does.StartWith(expected));
    }

    [Test]
    public async Task A_query_comparing_a_double_with_NaN_is_refused_naming_the_engine_where_NaN_cannot_be_stored_and_finds_NaN_rows_on_PostgreSQL()
    {
        var nan = double.NaN;
        await using var uow = _premix.BeginUnitOfWork();
        var query = uow.Repository<Charge>().Query().AsNoTracking().Where(c => c.Rate == nan);
        if (Engine != Engine.PostgreSql)
        {
            var error = Assert.ThrowsAsync<ArgumentException>(() => query.ToListAsync())!;
            Assert.That(error.Message, Does.StartWith($"Charge.Rate cannot be compared with NaN, which {EngineName} cannot store in a {(Engine == Engine.Sqlite ? "REAL" : "DOUBLE")} column."));
            return;
        }

        var charge = new Charge { Rate = double.NaN };
        await CommitAsync(charge);
        Assert.That((await query.ToListAsync()).Select(c => c.Id), Is.EqualTo(new[] { charge.Id }), "PostgreSQL orders NaN above every number and equal to itself");
    }

    [TestCase(1, TestName = "Rounding writes the same rounded value on every engine and the object holds it after the commit (single-row inserts)")]
    [TestCase(5, TestName = "Rounding writes the same rounded value on every engine and the object holds it after the commit (a many-row insert)")]
    public async Task Rounding_writes_the_same_rounded_value_on_every_engine_and_the_object_holds_it_after_the_commit(int rowsPerCommit)
    {
        (decimal Written, decimal Even, decimal Away)[] cases =
        [
            (1.23456m, 1.23m, 1.23m),
            (0.005m, 0.00m, 0.01m),
            (0.015m, 0.02m, 0.02m),
            (0.025m, 0.02m, 0.03m),
            (-0.125m, -0.12m, -0.13m),
        ];
        var charges = cases.Select(c => new Charge { Even = c.Written, Away = c.Written }).ToList();
        foreach (var chunk in charges.Chunk(rowsPerCommit))
        {
            await CommitAsync(chunk);
        }

        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < cases.Length; i++)
            {
                var (written, even, away) = cases[i];
                Assert.That(await StoredAsync<decimal>(charges[i], "Even"), Is.EqualTo(even), $"{written} rounded to even");
                Assert.That(await StoredAsync<decimal>(charges[i], "Away"), Is.EqualTo(away), $"{written} rounded away from zero");
                Assert.That((charges[i].Even, charges[i].Away), Is.EqualTo(((decimal?)even, away)), $"the object holds what is stored ({written})");
            }
        }
    }

    [Test]
    public async Task Rounding_applies_to_an_update_and_to_a_value_set_by_UpdateAllAsync()
    {
        var charge = new Charge { Even = 1m, Away = 1m };
        await CommitAsync(charge);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var tracked = await uow.Repository<Charge>().GetAsync(charge.Id);
            tracked.Even = 2.345m;
            await uow.CommitAsync();
            Assert.That(tracked.Even, Is.EqualTo(2.34m));
        }

        Assert.That(await StoredAsync<decimal>(charge, "Even"), Is.EqualTo(2.34m), "updated");

        await using (var uow = _premix.BeginUnitOfWork())
        {
            await uow.Repository<Charge>().Query().Where(c => c.Id == charge.Id).UpdateAllAsync(s => s.Set(c => c.Even, 7.125m).Set(c => c.Away, 7.125m));
            await uow.CommitAsync();
        }

        Assert.That(await StoredAsync<decimal>(charge, "Even"), Is.EqualTo(7.12m), "UpdateAllAsync, to even");
        Assert.That(await StoredAsync<decimal>(charge, "Away"), Is.EqualTo(7.13m), "UpdateAllAsync, away from zero");
    }

    [Test]
    public async Task A_value_that_rounds_past_the_precision_is_refused_and_a_failed_commit_puts_the_written_values_back()
    {
        var tooLarge = new Charge { Away = 99.995m, Even = 1.005m };
        var fine = new Charge { Away = 1.005m };

        var error = await RefusedAsync(tooLarge, fine);

        Assert.That(error.Failures.Single().ToString(), Does.StartWith(
            "Charge (new, position 1 in the commit).Away: is 100.00 once rounded, with 3 digits before the decimal point; the column keeps 2 (precision 4, scale 2)."));
        Assert.That((tooLarge.Away, tooLarge.Even, fine.Away), Is.EqualTo((99.995m, (decimal?)1.005m, 1.005m)), "the objects hold the values written, unrounded");
    }

    [TestCase("Amount", TestName = "An update writes and checks only the columns it changes: a loaded decimal with more places than its mapping is left as it is (checked property)")]
    [TestCase("Even", TestName = "An update writes and checks only the columns it changes: a loaded decimal with more places than its mapping is left as it is (rounded property)")]
    public async Task An_update_writes_and_checks_only_the_columns_it_changes_a_loaded_decimal_with_more_places_than_its_mapping_is_left_as_it_is(string column)
    {
        // A row written by plain SQL into a column wider than the mapping says (SQLite keeps any decimal text).
        await WidenAsync(column);
        await using (var connection = await OpenConnectionAsync())
        {
            var (amount, even) = column == "Amount" ? ("1.23456", "NULL") : ("0", "1.23456");
            await connection.ExecuteAsync($"INSERT INTO {Q(ChargeMap.Table)} ({Q("Amount")}, {Q("Plain")}, {Q("Exact")}, {Q("Salary")}, {Q("Rate")}, {Q("Ratio")}, {Q("Memo")}, {Q("Even")}, {Q("Away")}) "
                + $"VALUES ({amount}, 0, 0, 0, 0, 0, 'loaded', {even}, 0)");
        }

        var id = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q(ChargeMap.Table)}");
        Charge tracked;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            tracked = await uow.Repository<Charge>().GetAsync(id);
            tracked.Memo = "changed";
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync<string>(new Charge { Id = id }, "Memo"), Is.EqualTo("changed"), "the change is written");
            Assert.That(await StoredAsync<decimal>(new Charge { Id = id }, column), Is.EqualTo(1.23456m), "the column the update does not write keeps its value");
            Assert.That(column == "Amount" ? tracked.Amount : tracked.Even, Is.EqualTo(1.23456m), "the object keeps the value it was loaded with");
        }
    }

    private async Task<ValidationException> RefusedAsync(params Charge[] charges)
    {
        var error = Assert.ThrowsAsync<ValidationException>(() => CommitAsync(charges))!;
        Assert.That(await CountRowsAsync(ChargeMap.Table), Is.Zero, "nothing was written");
        return error;
    }

    private async Task CommitAsync(params Charge[] charges)
    {
        await using var uow = _premix.BeginUnitOfWork();
        foreach (var charge in charges)
        {
            uow.Repository<Charge>().Add(charge);
        }

        await uow.CommitAsync();
    }

    // The stored value through plain SQL; SQLite's text decimals are parsed exactly, not through a double.
    private async Task<T?> StoredAsync<T>(Charge charge, string column)
    {
        await using var connection = await OpenConnectionAsync();
        var value = await connection.ExecuteScalarAsync<object>($"SELECT {Q(column)} FROM {Q(ChargeMap.Table)} WHERE {Q("Id")} = @id", new { id = charge.Id });
        return value switch
        {
            string text when typeof(T) == typeof(decimal) => (T)(object)decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            float single when typeof(T) == typeof(double) => (T)(object)(double)single,
            _ => (T?)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture),
        };
    }

    // The column made wider than its mapping (5 places), as a database Premix did not create may be; SQLite keeps any decimal already.
    private async Task WidenAsync(string column)
    {
        var nullable = column == "Even" ? "NULL" : "NOT NULL";
        var sql = Engine switch
        {
            Engine.PostgreSql => $"ALTER TABLE {Q(ChargeMap.Table)} ALTER COLUMN {Q(column)} TYPE numeric(18,5)",
            Engine.MySql => $"ALTER TABLE {Q(ChargeMap.Table)} MODIFY {Q(column)} DECIMAL(18,5) {nullable}",
            _ => null,
        };
        if (sql is not null)
        {
            await using var connection = await OpenConnectionAsync();
            await connection.ExecuteAsync(sql);
        }
    }

    // A failure's first sentence: what is wrong, without the advice that follows.
    private static string Sentence(string failure) => failure[..(failure.IndexOf(". ", StringComparison.Ordinal) is var end and >= 0 ? end + 1 : failure.Length)];
}
