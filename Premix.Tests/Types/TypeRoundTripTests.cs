using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Every supported type, nullable or not, survives a write and a read on every engine, at the edges of the range
/// docs/types.md promises. What an engine cannot keep (an offset) is asserted as documented, and every row of the
/// round-trip table in docs/types.md (<see cref="RoundTripTable"/>) is kept, changed or refused as it says.
/// </summary>
public sealed class TypeRoundTripTests(Engine engine) : PremixTest(engine)
{
    private static readonly PropertyInfo[] Properties = typeof(TypeSample).GetProperties().Where(p => p.Name != nameof(TypeSample.Id)).ToArray();

    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task CreateTableAsync() => _premix = await CreatePremixWithTablesAsync(new TypeSampleMap());

    public static IEnumerable<TestCaseData> Samples()
    {
        yield return new TestCaseData(Largest()).SetArgDisplayNames("largest values");
        yield return new TestCaseData(Smallest()).SetArgDisplayNames("smallest values");
        yield return new TestCaseData(Typical(withNulls: true)).SetArgDisplayNames("nulls in every nullable property");
        yield return new TestCaseData(Typical(withNulls: false)).SetArgDisplayNames("typical values in every nullable property");
    }

    [TestCaseSource(nameof(Samples))]
    public async Task Values_round_trip_unchanged(TypeSample sample)
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<TypeSample>().Add(sample);
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        var loaded = await reader.Repository<TypeSample>().GetAsync(sample.Id);

        using (Assert.EnterMultipleScope())
        {
            foreach (var property in Properties)
            {
                // DateTimeOffset equality compares the instant; the offset is checked by the test below.
                Assert.That(property.GetValue(loaded), Is.EqualTo(property.GetValue(sample)), property.Name);
            }
        }
    }

    [Test]
    public async Task Every_sample_written_in_one_commit_round_trips_unchanged()
    {
        // One commit of several rows takes the many-row path where the engine has one (PostgreSQL's arrays).
        var samples = Samples().Select(s => (TypeSample)s.Arguments[0]!).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var sample in samples)
            {
                uow.Repository<TypeSample>().Add(sample);
            }

            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        using (Assert.EnterMultipleScope())
        {
            foreach (var sample in samples)
            {
                var loaded = await reader.Repository<TypeSample>().GetAsync(sample.Id);
                foreach (var property in Properties)
                {
                    Assert.That(property.GetValue(loaded), Is.EqualTo(property.GetValue(sample)), property.Name);
                }
            }
        }
    }

    [Test]
    public async Task Every_sample_read_again_on_a_held_connection_reads_as_stored_kept_on_SQLite_and_prepared_on_MariaDB()
    {
        // From its second run on a held connection a read runs kept and re-bound (SQLite) or prepared, through MariaDB's
        // binary protocol: every value must read as stored, whether through the first, unprepared run or a later one.
        var samples = Samples().Select(s => (TypeSample)s.Arguments[0]!).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            samples.ForEach(uow.Repository<TypeSample>().Add);
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        var repository = reader.Repository<TypeSample>().AsNoTracking();
        await using var hold = await reader.HoldConnectionAsync();
        var before = Engine == Engine.MySql ? await MariaDbStatementCounters.ReadAsync(reader) : default;
        using (Assert.EnterMultipleScope())
        {
            for (var run = 1; run <= 3; run++)
            {
                foreach (var sample in samples)
                {
                    var byKey = await repository.GetAsync(sample.Id);
                    var byQuery = await repository.Query().Where(t => t.Id == sample.Id).FirstAsync();
                    foreach (var property in Properties)
                    {
                        Assert.That(property.GetValue(byKey), Is.EqualTo(property.GetValue(sample)), $"run {run}, by key: {property.Name}");
                        Assert.That(property.GetValue(byQuery), Is.EqualTo(property.GetValue(sample)), $"run {run}, by query: {property.Name}");
                    }
                }
            }
        }

        if (Engine == Engine.MySql)
        {
            var after = await MariaDbStatementCounters.ReadAsync(reader);
            Assert.That(after.Executed - before.Executed, Is.EqualTo(2 * ((3 * samples.Count) - 1)), "every read but each statement's first ran prepared");
        }
    }

    public static IEnumerable<TestCaseData> TableRows() => RoundTripTable.Cases.Select(row => new TestCaseData(row).SetArgDisplayNames(row.ToString()));

    /// <summary>
    /// The round-trip table of docs/types.md, row by row: each value is written by a commit, then read back by Premix and
    /// through plain SQL (the driver's own value, converted here), or refused as the row says with nothing written.
    /// </summary>
    [TestCaseSource(nameof(TableRows))]
    public async Task Each_value_is_kept_changed_or_refused_as_the_round_trip_table_in_docs_types_md_says(RoundTripCase row)
    {
        var outcome = row.On(Engine);
        var property = typeof(TypeSample).GetProperty(row.Property)!;
        var column = Q(_premix.Model.Get(typeof(TypeSample)).Properties.Single(p => p.Name == row.Property).Column);
        using (Assert.EnterMultipleScope())
        {
            foreach (var value in row.Values)
            {
                var sample = Typical(withNulls: true);
                property.SetValue(sample, value);
                if (outcome.Refusal is { } refusal)
                {
                    var before = await CountRowsAsync("type_samples");
                    Assert.That(await Catch(() => CommitAsync(sample)), Is.TypeOf(refusal), $"{Show(value)} is refused");
                    Assert.That(await CountRowsAsync("type_samples"), Is.EqualTo(before), $"{Show(value)}: nothing was written");
                    continue;
                }

                await CommitAsync(sample);
                var expected = outcome.ReadBack!(value);
                await using var reader = _premix.BeginUnitOfWork();
                var loaded = property.GetValue(await reader.Repository<TypeSample>().GetAsync(sample.Id));
                var stored = PlainValue(await ScalarAsync<object>($"SELECT {column} FROM {Q("type_samples")} WHERE {Q("Id")} = @id", new { id = sample.Id }), property.PropertyType);
                Assert.That(Same(loaded, expected), Is.True, $"read by Premix: {Show(value)} came back as {Show(loaded)}, not {Show(expected)}");
                Assert.That(Same(stored, expected), Is.True, $"read by plain SQL: {Show(value)} is stored as {Show(stored)}, not {Show(expected)}");
                if (Engine == Engine.PostgreSql && outcome.SqlText is { } text)
                {
                    Assert.That(await ScalarAsync<string>($"SELECT CAST({column} AS text) FROM {Q("type_samples")} WHERE {Q("Id")} = @id", new { id = sample.Id }), Is.EqualTo(text));
                }
            }
        }
    }

    [Test]
    public async Task An_offset_is_kept_on_SQLite_and_normalised_to_UTC_where_the_engine_stores_no_offset()
    {
        var sample = Typical(withNulls: false);
        sample.WhenWithOffset = new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.FromHours(5.5)).AddTicks(1230);
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<TypeSample>().Add(sample);
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        var loaded = await reader.Repository<TypeSample>().GetAsync(sample.Id);

        var expectedOffset = Engine == Engine.Sqlite ? TimeSpan.FromHours(5.5) : TimeSpan.Zero;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.WhenWithOffset.UtcDateTime, Is.EqualTo(sample.WhenWithOffset.UtcDateTime), "the instant is always kept");
            Assert.That(loaded.WhenWithOffset.Offset, Is.EqualTo(expectedOffset));
        }
    }

    [TestCase(1, TestName = "A DateTime comes back with its wall-clock value and an unspecified kind (one row)")]
    [TestCase(3, TestName = "A DateTime comes back with its wall-clock value and an unspecified kind (a many-row commit)")]
    public async Task A_DateTime_comes_back_with_its_wall_clock_value_and_an_unspecified_kind(int rows)
    {
        DateTimeKind[] kinds = [DateTimeKind.Utc, DateTimeKind.Local, DateTimeKind.Unspecified];
        var samples = Enumerable.Range(0, rows).Select(i =>
        {
            var sample = Typical(withNulls: i % 2 == 0);
            sample.When = new DateTime(2024, 6, 1, 8, 30, i, kinds[i]);
            sample.NWhen = i % 2 == 0 ? null : new DateTime(2025, 1, 2, 3, 4, 5, kinds[i]);
            return sample;
        }).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            samples.ForEach(uow.Repository<TypeSample>().Add);
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        foreach (var sample in samples)
        {
            var loaded = await reader.Repository<TypeSample>().GetAsync(sample.Id);
            Assert.That((loaded.When, loaded.When.Kind, loaded.NWhen), Is.EqualTo((sample.When, DateTimeKind.Unspecified, sample.NWhen)), $"sent as {sample.When.Kind}");
        }
    }

    [TestCaseSource(nameof(Samples))]
    public async Task Contains_finds_the_row_by_the_value_of_every_property_and_not_Contains_leaves_it_out(TypeSample sample)
    {
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<TypeSample>().Add(sample);
            await uow.CommitAsync();
        }

        await using var reader = _premix.BeginUnitOfWork();
        var row = Expression.Parameter(typeof(TypeSample), "x");
        using (Assert.EnterMultipleScope())
        {
            // A byte[] compares by content in SQL (C# would compare references): the assertions compare contents too.
            foreach (var property in Properties)
            {
                // The sample's value and the type's default: the list travels the way a list of that type does on the engine.
                var list = Array.CreateInstance(property.PropertyType, 2);
                list.SetValue(property.GetValue(sample), 0);
                var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [property.PropertyType], Expression.Constant(list), Expression.Property(row, property));
                var values = list.Cast<object?>().ToList();

                var found = await reader.Repository<TypeSample>().Query().AsNoTracking().Where(Expression.Lambda<Func<TypeSample, bool>>(contains, row)).ToListAsync();
                var others = await reader.Repository<TypeSample>().Query().AsNoTracking().Where(Expression.Lambda<Func<TypeSample, bool>>(Expression.Not(contains), row)).ToListAsync();

                Assert.That(found.Select(r => r.Id), Does.Contain(sample.Id), $"{property.Name} in {{{string.Join(", ", values)}}}");
                Assert.That(found.All(r => values.Any(v => StructuralComparisons.StructuralEqualityComparer.Equals(v, property.GetValue(r)))), Is.True, $"{property.Name}: only rows with a value of the list");
                Assert.That(others.Select(r => r.Id), Does.Not.Contain(sample.Id), $"{property.Name} not in the list");
            }
        }
    }

    private async Task CommitAsync(TypeSample sample)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<TypeSample>().Add(sample);
        await uow.CommitAsync();
    }

    private static async Task<Exception?> Catch(Func<Task> commit)
    {
        try
        {
            await commit();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    // What the driver returned, in the property's type, converted here rather than by Premix's Dapper type handlers.
    private static object? PlainValue(object? raw, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var invariant = CultureInfo.InvariantCulture;
        return raw switch
        {
            null or DBNull => null,
            _ when type.IsInstanceOfType(raw) => raw,
            string name when type.IsEnum => Enum.Parse(type, name),
            _ when type.IsEnum => Enum.ToObject(type, Convert.ToInt64(raw, invariant)),
            string text when type == typeof(decimal) => decimal.Parse(text, NumberStyles.Float, invariant),
            byte[] bytes when type == typeof(Guid) => new Guid(bytes),
            string text when type == typeof(Guid) => Guid.Parse(text),
            string text when type == typeof(DateTimeOffset) => DateTimeOffset.Parse(text, invariant),
            DateTime time when type == typeof(DateTimeOffset) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            string text when type == typeof(DateOnly) => DateOnly.Parse(text, invariant),
            DateTime time when type == typeof(DateOnly) => DateOnly.FromDateTime(time),
            string text when type == typeof(TimeOnly) => TimeOnly.Parse(text, invariant),
            TimeSpan span when type == typeof(TimeOnly) => TimeOnly.FromTimeSpan(span),
            string text when type == typeof(TimeSpan) => TimeSpan.Parse(text, invariant),
            string text when type == typeof(DateTime) => DateTime.Parse(text, invariant),
            _ => Convert.ChangeType(raw, type, invariant),
        };
    }

    // Exactly the same value: -0.0 is not 0, NaN is NaN, a DateTimeOffset keeps its offset, arrays compare by content.
    private static bool Same(object? actual, object? expected) => (actual, expected) switch
    {
        (double a, double e) => double.IsNaN(a) ? double.IsNaN(e) : a.Equals(e) && double.IsNegative(a) == double.IsNegative(e),
        (float a, float e) => float.IsNaN(a) ? float.IsNaN(e) : a.Equals(e) && float.IsNegative(a) == float.IsNegative(e),
        (byte[] a, byte[] e) => a.AsSpan().SequenceEqual(e),
        (DateTimeOffset a, DateTimeOffset e) => a.EqualsExact(e),
        (DateTime a, DateTime e) => a.Ticks == e.Ticks,
        _ => Equals(actual, expected),
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        string { Length: > 40 } text => $"a string of {text.Length} characters",
        string text => "\"" + string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "\"",
        byte[] bytes => $"{bytes.Length} bytes",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + (number == 0 && double.IsNegative(number) ? " (negative)" : string.Empty),
        float number => number.ToString("R", CultureInfo.InvariantCulture) + (number == 0 && float.IsNegative(number) ? " (negative)" : string.Empty),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("yyyy-MM-dd HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static TypeSample Largest() => Fill(new TypeSample
    {
        Flag = true,
        Byte = byte.MaxValue,
        Short = short.MaxValue,
        Int = int.MaxValue,
        Long = long.MaxValue,
        Money = 99_999_999_999_999.9999m,
        Double = 1.7976931348623157E+308,
        Float = float.MaxValue,
        Text = "Zoë 日本語 🚀 " + new string('x', 50 - 14),
        Guid = new Guid("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        When = new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9_999_990),
        WhenWithOffset = new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.Zero).AddTicks(9_999_990),
        Day = new DateOnly(9999, 12, 31),
        Time = new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)),
        Span = new TimeSpan(34, 22, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), // 838:59:59.999999, MySQL's TIME limit
        Bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
        ColorNumber = Color.Blue,
        ColorText = Color.Blue,
    });

    private static TypeSample Smallest() => Fill(new TypeSample
    {
        Flag = false,
        Byte = byte.MinValue,
        Short = short.MinValue,
        Int = int.MinValue,
        Long = long.MinValue,
        Money = -99_999_999_999_999.9999m,
        Double = -1.7976931348623157E+308,
        Float = float.MinValue,
        Text = "",
        Guid = Guid.Empty,
        When = new DateTime(1000, 1, 1),
        WhenWithOffset = new DateTimeOffset(1000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Day = new DateOnly(1000, 1, 1),
        Time = TimeOnly.MinValue,
        Span = -new TimeSpan(34, 22, 59, 59).Add(TimeSpan.FromTicks(9_999_990)),
        Bytes = [],
        ColorNumber = Color.Red,
        ColorText = Color.Red,
    });

    private static TypeSample Typical(bool withNulls)
    {
        var sample = new TypeSample
        {
            Flag = true,
            Byte = 42,
            Short = -1234,
            Int = 123_456,
            Long = 9_876_543_210,
            Money = 12_345.6789m,
            Double = Math.PI,
            Float = 2.5f,
            Text = "it's \"quoted\" \\ ; -- %_",
            Guid = Guid.NewGuid(),
            When = new DateTime(2024, 2, 29, 13, 45, 30).AddTicks(1_234_560),
            WhenWithOffset = new DateTimeOffset(2024, 2, 29, 13, 45, 30, TimeSpan.Zero).AddTicks(1_234_560),
            Day = new DateOnly(2024, 2, 29),
            Time = new TimeOnly(13, 45, 30, 123, 456),
            Span = new TimeSpan(1, 2, 3, 4, 567),
            Bytes = [1, 2, 3],
            ColorNumber = Color.Green,
            ColorText = Color.Green,
        };
        return withNulls ? sample : Fill(sample);
    }

    /// <summary>Gives each nullable property the value of its non-nullable twin.</summary>
    private static TypeSample Fill(TypeSample sample)
    {
        foreach (var property in Properties.Where(p => p.Name.StartsWith('N') && typeof(TypeSample).GetProperty(p.Name[1..]) is not null))
        {
            property.SetValue(sample, typeof(TypeSample).GetProperty(property.Name[1..])!.GetValue(sample));
        }

        return sample;
    }
}
