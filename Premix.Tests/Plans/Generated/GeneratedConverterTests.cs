using System.Linq.Expressions;
using Premix.Generation;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Infrastructure;
using Premix.Tests.Types;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// Converted properties in the generated model (issue 19 item 2), on every engine: the converters' expressions are printed as
/// C# into the generated code, so inserts, gets, queries and updates read and write the converted values with no delegate
/// compiled, and plain SQL sees the stored values. The model has every kind of conversion of <see cref="AccountMap"/> (a
/// generated strongly typed key, a nullable strongly typed code, a Uri, a value object through HasConversion, an enum as a
/// short, a DateTime stamped UTC through ValueConverters.DateTimeKind), <see cref="TicketMap"/>'s enum as text and a nullable
/// value object rounded as a decimal, and <see cref="GaugeMap"/>'s converters reading a const local, a static readonly field,
/// a readonly field of the map and a factory's parameter written as Expression.Constant. A converter changed since generation
/// fails the start, naming the property; one reading a captured local is refused (another lambda of its scope could change it
/// after generated code hard-coded it), at generation and at the start.
/// </summary>
public sealed class GeneratedConverterTests(Engine engine) : PremixTest(engine)
{
    private static readonly DateTime Seen = new(2026, 2, 5, 13, 45, 30, DateTimeKind.Utc);

    private GeneratedModel _generated = null!;
    private GeneratedModel _forMismatch = null!;
    private GeneratedModel _withoutStatusConverter = null!;
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        using var built = CreatePremix(p => Register(p, new TicketMap()));
        using var plain = CreatePremix(p => Register(p, new TicketMap { PlainStatus = true }));
        var models = GeneratedModels.CompileAll([(built, $"Converted{Engine}"), (built, $"ConvertedMismatch{Engine}"), (plain, $"ConvertedPlain{Engine}")]);
        (_generated, _forMismatch, _withoutStatusConverter) = (models[0], models[1], models[2]);
    }

    [SetUp]
    public async Task StartOnTheGeneratedModelAsync()
    {
        _premix = CreatePremix(p => Register(p, new TicketMap()).UseGeneratedModel(_generated));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public async Task StopAsync() => await _premix.DisposeAsync();

    [Test]
    public async Task An_insert_stores_the_converted_values_and_sets_the_converted_generated_key_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var account = NewAccount("Ada", new Sku("A-1"));
        var ticket = new Ticket { Status = TicketStatus.Closed, Weight = new Grams(2.345m) };
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Account>().Add(account);
            uow.Repository<Ticket>().Add(ticket);
            await uow.CommitAsync();
        }

        var stored = await ScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Q(AccountMap.Table)} WHERE {Q("Id")} = @id AND {Q("Email")} = 'ada@example.com' AND {Q("Website")} = 'https://example.com/a?b=1#top' AND {Q("Tier")} = 3 AND {Q("Code")} = 'A-1' AND {Q("SeenAt")} = @seen",
            new { id = account.Id.Value, seen = DateTime.SpecifyKind(Seen, DateTimeKind.Unspecified) }); // a wall-clock column: the driver takes no UTC kind
        using (Assert.EnterMultipleScope())
        {
            Assert.That(account.Id.Value, Is.GreaterThan(0), "the generated key comes back converted");
            Assert.That(stored, Is.EqualTo(1), "the account's row holds the stored values");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Status")} FROM {Q(TicketMap.Table)} WHERE {Q("Id")} = @id", new { id = ticket.Id }), Is.EqualTo("Closed"));
            Assert.That(await ScalarAsync<decimal>($"SELECT {Q("Weight")} FROM {Q(TicketMap.Table)} WHERE {Q("Id")} = @id", new { id = ticket.Id }), Is.EqualTo(2.35m), "rounded as its stored decimal");
            Assert.That(ticket.Weight, Is.EqualTo(new Grams(2.35m)), "the rounded value is set back through the conversion");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task A_get_and_a_query_read_through_the_conversions_and_an_update_writes_them_without_compiling()
    {
        var id = await ArrangeAccountAsync("Grace", "G-7");
        var ticketId = await ArrangeTicketAsync("Open", null);
        var compiles = LazyDelegates.CountInThisFlow();

        Account loaded;
        IReadOnlyList<Account> gold;
        Ticket ticket;
        IReadOnlyList<Ticket> open;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            loaded = await uow.Repository<Account>().GetAsync(new AccountId(id));
            var code = new Sku("G-7");
            gold = await uow.Repository<Account>().Query().Where(a => a.Tier == Tier.Gold && a.Code == code).ToListAsync();
            ticket = await uow.Repository<Ticket>().GetAsync(ticketId);
            open = await uow.Repository<Ticket>().Query().Where(t => t.Status == TicketStatus.Open && t.Weight == null).ToListAsync();
            loaded.Email = new EmailAddress("grace@example.com");
            loaded.Code = null;
            ticket.Status = TicketStatus.Closed;
            ticket.Weight = new Grams(1.5m);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((loaded.Id, loaded.Name, loaded.Tier), Is.EqualTo((new AccountId(id), "Grace", Tier.Gold)));
            Assert.That(loaded.Website!.OriginalString, Is.EqualTo("https://example.com/g"));
            Assert.That(loaded.SeenAt, Is.EqualTo(Seen));
            Assert.That(loaded.SeenAt.Kind, Is.EqualTo(DateTimeKind.Utc), "the DateTimeKind converter's kind is printed into the generated code");
            Assert.That(gold, Is.EqualTo(new[] { loaded }), "a query compares the converted values");
            Assert.That(open, Is.EqualTo(new[] { ticket }), "a query compares the enum as its text");
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(AccountMap.Table)} WHERE {Q("Id")} = @id AND {Q("Email")} = 'grace@example.com' AND {Q("Code")} IS NULL", new { id }), Is.EqualTo(1));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Status")} FROM {Q(TicketMap.Table)} WHERE {Q("Id")} = @id", new { id = ticketId }), Is.EqualTo("Closed"));
            Assert.That(await ScalarAsync<decimal>($"SELECT {Q("Weight")} FROM {Q(TicketMap.Table)} WHERE {Q("Id")} = @id", new { id = ticketId }), Is.EqualTo(1.5m));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Several_inserts_in_one_commit_store_their_converted_values_without_compiling()
    {
        var compiles = LazyDelegates.CountInThisFlow();
        var accounts = Enumerable.Range(1, 4).Select(i => NewAccount($"Many {i}", i % 2 == 0 ? new Sku($"M-{i}") : null)).ToList();
        await using (var uow = _premix.BeginUnitOfWork())
        {
            accounts.ForEach(uow.Repository<Account>().Add);
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(accounts.Select(a => a.Id.Value).Distinct().Count(id => id > 0), Is.EqualTo(4));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(AccountMap.Table)} WHERE {Q("Code")} IN ('M-2', 'M-4') AND {Q("Tier")} = 3"), Is.EqualTo(2));
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(AccountMap.Table)} WHERE {Q("Code")} IS NULL AND {Q("Email")} = 'ada@example.com'"), Is.EqualTo(2));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public void A_converter_changed_since_generation_fails_the_start_naming_the_property()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new TicketMap { Shouting = true }).UseGeneratedModel(_forMismatch)).Dispose());

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Ticket.Status's value converter has changed: it is now value => ((value).ToString()).ToUpperInvariant() | value => global::System.Enum.Parse<global::Premix.Tests.Plans.Generated.GeneratedConverterTests.TicketStatus>(value, true); "
            + "the generated model converts it as value => (value).ToString() | value => global::System.Enum.Parse<global::Premix.Tests.Plans.Generated.GeneratedConverterTests.TicketStatus>(value).",
        }));
    }

    [Test]
    public void A_converter_constant_changed_since_generation_fails_the_start_naming_the_property()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new TicketMap(), new AccountMap { SeenKind = DateTimeKind.Local }).UseGeneratedModel(_forMismatch)).Dispose());

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Account.SeenAt's value converter has changed: it is now value => value | value => global::System.DateTime.SpecifyKind(value, ((global::System.DateTimeKind)((2)))); "
            + "the generated model converts it as value => value | value => global::System.DateTime.SpecifyKind(value, ((global::System.DateTimeKind)((1)))).",
        }));
    }

    [Test]
    public void A_converter_added_or_removed_since_generation_fails_the_start_naming_the_property()
    {
        var added = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new TicketMap()).UseGeneratedModel(_withoutStatusConverter)).Dispose());
        var removed = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new TicketMap { PlainStatus = true }).UseGeneratedModel(_forMismatch)).Dispose());

        const string Converter = "value => (value).ToString() | value => global::System.Enum.Parse<global::Premix.Tests.Plans.Generated.GeneratedConverterTests.TicketStatus>(value)";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(added.Differences, Has.Member($"Ticket.Status now has a value converter ({Converter}); the generated model reads it without one."));
            Assert.That(removed.Differences, Has.Member($"Ticket.Status no longer has a value converter; the generated model converts it ({Converter})."));
        }
    }

    [Test]
    public async Task A_model_generated_with_ids_converted_by_convention_starts_with_their_converters_registered_and_reads_and_writes_without_compiling()
    {
        // StronglyTypedId<TId, TValue>() is the way with dynamic code off, where the convention does not apply: the start
        // check compares it with the convention's converter the model was generated with, as printed for the entity's home.
        await using var registered = CreatePremix(p => Register(p.Convert(ValueConverters.StronglyTypedId<AccountId, long>()).Convert(ValueConverters.StronglyTypedId<Sku, string>()), new TicketMap())
            .UseGeneratedModel(_generated));
        var compiles = LazyDelegates.CountInThisFlow();
        var ada = NewAccount("Ada", new Sku("A-1"));
        await using (var uow = registered.BeginUnitOfWork())
        {
            uow.Repository<Account>().Add(ada);
            await uow.CommitAsync();
        }

        var graceId = await ArrangeAccountAsync("Grace", "G-7");
        await using var read = registered.BeginUnitOfWork();
        var grace = await read.Repository<Account>().GetAsync(new AccountId(graceId));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Code")} FROM {Q(AccountMap.Table)} WHERE {Q("Id")} = @id", new { id = ada.Id.Value }), Is.EqualTo("A-1"));
            Assert.That((grace.Name, grace.Code), Is.EqualTo(("Grace", (Sku?)new Sku("G-7"))));
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public async Task Converters_reading_a_const_local_a_static_readonly_field_a_readonly_field_of_the_map_and_a_factory_constant_round_trip_without_compiling()
    {
        await ExecuteAsync($"INSERT INTO {Q(GaugeMap.Table)} ({Q("Level")}, {Q("Shifted")}, {Q("Scaled")}, {Q("Biased")}) VALUES (13, 1004, 50, 9)");
        var arranged = await ScalarAsync<long>($"SELECT MAX({Q("Id")}) FROM {Q(GaugeMap.Table)}");
        var compiles = LazyDelegates.CountInThisFlow();
        var gauge = new Gauge { Level = 1, Shifted = 2, Scaled = 3, Biased = 4 };
        Gauge read;
        IReadOnlyList<Gauge> found;
        await using (var uow = _premix.BeginUnitOfWork())
        {
            uow.Repository<Gauge>().Add(gauge);
            await uow.CommitAsync();
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            read = await uow.Repository<Gauge>().GetAsync(arranged);
            found = await uow.Repository<Gauge>().Query().Where(g => g.Scaled == 3).ToListAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q(GaugeMap.Table)} WHERE {Q("Id")} = @id AND {Q("Level")} = 4 AND {Q("Shifted")} = 1002 AND {Q("Scaled")} = 30 AND {Q("Biased")} = 11", new { id = gauge.Id }), Is.EqualTo(1),
                "stored through the const (+3), the static field (+1000), the map's readonly field (*10) and the factory's Expression.Constant (+7)");
            Assert.That((read.Level, read.Shifted, read.Scaled, read.Biased), Is.EqualTo((10, 4, 5, 2)), "read back through the same values");
            Assert.That(found.Select(g => g.Id), Is.EqualTo(new[] { gauge.Id }), "a query compares the converted value");
            Assert.That(compiles.Value, Is.Zero);
        }
    }

    [Test]
    public void A_converter_reading_a_captured_local_is_refused_naming_the_property_and_the_value_with_the_way_out()
    {
        using var built = CreatePremix(p => Register(p, new TicketMap(), gauges: new GaugeMap { CapturesLocal = true }));

        var error = Assert.Throws<ModelGenerationException>(() => ModelGenerator.Generate(built));

        Assert.That(error.Refusals, Is.EqualTo(new[]
        {
            "Gauge.Biased: its value converter cannot be written as C#: its conversion to the stored value uses the captured variable bias (now 7), which another lambda of its scope could change after generated code hard-coded it; "
            + "write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use; "
            + "for a parameter of the method that makes the lambda, make one lambda per value (as ValueConverters.DateTimeKind does) or build it with Expression.Constant(value), which is written as a literal.",
        }));
    }

    // The generated model converts Gauge.Biased with 7 written in (the factory's Expression.Constant); the mapping now reads
    // the same 7 from a captured local, which generated code could only hard-code: the start names the property and the way
    // out, and does not claim the model lacks the converter.
    [Test]
    public void A_model_generated_before_a_converter_read_a_captured_local_fails_the_start_naming_the_property_with_the_way_out()
    {
        var error = Assert.Throws<GeneratedModelMismatchException>(() =>
            CreatePremix(p => Register(p, new TicketMap(), gauges: new GaugeMap { CapturesLocal = true }).UseGeneratedModel(_forMismatch)).Dispose());

        Assert.That(error.Differences, Is.EqualTo(new[]
        {
            "Gauge.Biased: its value converter cannot be written as C#: its conversion to the stored value uses the captured variable bias (now 7), which another lambda of its scope could change after generated code hard-coded it; "
            + "write it as a constant (a const local) or a readonly field of the mapping class, or read it through a public static property, field or method, which generated code reads on every use; "
            + "for a parameter of the method that makes the lambda, make one lambda per value (as ValueConverters.DateTimeKind does) or build it with Expression.Constant(value), which is written as a literal. "
            + "The generated model cannot run it as it is mapped now: remove UseGeneratedModel while the mapping uses it.",
        }));
    }

    internal static PremixOptionsBuilder Register(PremixOptionsBuilder p, TicketMap tickets, AccountMap? accounts = null, GaugeMap? gauges = null)
    {
        AccountMap.Registry(p);
        return p.AddModelConfiguration(accounts ?? new AccountMap()).AddModelConfiguration(new InvoiceMap()).AddModelConfiguration(tickets)
            .AddModelConfiguration(gauges ?? new GaugeMap());
    }

    private static Account NewAccount(string name, Sku? code) => new()
    {
        Name = name, Email = new EmailAddress("ada@example.com"), Website = new Uri("https://example.com/a?b=1#top"), Tier = Tier.Gold, SeenAt = Seen, Code = code,
    };

    // Through plain SQL, as a row another application wrote.
    private async Task<long> ArrangeAccountAsync(string name, string code)
    {
        await ExecuteAsync(
            $"INSERT INTO {Q(AccountMap.Table)} ({Q("Name")}, {Q("Email")}, {Q("Website")}, {Q("Tier")}, {Q("SeenAt")}, {Q("Code")}) VALUES (@name, 'g@example.com', 'https://example.com/g', 3, @seen, @code)",
            new { name, seen = DateTime.SpecifyKind(Seen, DateTimeKind.Unspecified), code }); // a wall-clock column: the driver takes no UTC kind
        return await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q(AccountMap.Table)} WHERE {Q("Name")} = @name", new { name });
    }

    private async Task<long> ArrangeTicketAsync(string status, decimal? weight)
    {
        await ExecuteAsync($"INSERT INTO {Q(TicketMap.Table)} ({Q("Status")}, {Q("Weight")}) VALUES (@status, @weight)", new { status, weight });
        return await ScalarAsync<long>($"SELECT MAX({Q("Id")}) FROM {Q(TicketMap.Table)}");
    }

    public enum TicketStatus
    {
        Open,
        Closed,
    }

    /// <summary>A value object of one decimal: converted to it by convention (as a strongly typed id is).</summary>
    public readonly record struct Grams(decimal Value);

    public sealed class Ticket
    {
        public long Id { get; set; }

        public TicketStatus Status { get; set; }

        public Grams? Weight { get; set; }
    }

    public sealed class Gauge
    {
        public long Id { get; set; }

        public int Level { get; set; }

        public int Shifted { get; set; }

        public int Scaled { get; set; }

        public int Biased { get; set; }
    }

    /// <summary>
    /// Converters reading values generated code writes or reads itself: a const local (+3), a static readonly field (+1000,
    /// read on every call), a readonly field of the map (*10) and a factory's parameter built into the lambda as a constant (+7);
    /// with <see cref="CapturesLocal"/>, the last reads the same 7 from a captured local instead.
    /// </summary>
    public sealed class GaugeMap : ModelConfiguration<Gauge>
    {
        public const string Table = "conv_gen_gauges";

        public static readonly int Offset = 1000;

        private readonly int _factor = 10;

        public bool CapturesLocal { get; init; }

        public override void Configure(EntityBuilder<Gauge> e)
        {
            const int Step = 3;
            e.ToTable(Table);
            e.Property(g => g.Level).HasConversion(l => l + Step, s => s - Step);
            e.Property(g => g.Shifted).HasConversion(l => l + Offset, s => s - Offset);
            e.Property(g => g.Scaled).HasConversion(l => l * _factor, s => s / _factor);
            if (CapturesLocal)
            {
                var bias = 7;
                e.Property(g => g.Biased).HasConversion(b => b + bias, s => s - bias);
            }
            else
            {
                e.Property(g => g.Biased).HasConversion(Shift(7));
            }
        }

        // A converter factory: its parameter captured by a lambda would be refused; built with Expression.Constant, it is a literal.
        private static ValueConverter<int, int> Shift(int by)
        {
            var value = Expression.Parameter(typeof(int), "value");
            var stored = Expression.Parameter(typeof(int), "stored");
            return new(
                Expression.Lambda<Func<int, int>>(Expression.Add(value, Expression.Constant(by)), value),
                Expression.Lambda<Func<int, int>>(Expression.Subtract(stored, Expression.Constant(by)), stored));
        }
    }

    /// <summary>An enum stored as its name through HasConversion, and a nullable value object rounded as its stored decimal.</summary>
    public sealed class TicketMap : ModelConfiguration<Ticket>
    {
        public const string Table = "conv_gen_tickets";

        /// <summary>Another converter than the generated model's: the names in capitals.</summary>
        public bool Shouting { get; init; }

        /// <summary>No converter on the status: stored as its name by the mapping's own enum storage.</summary>
        public bool PlainStatus { get; init; }

        public override void Configure(EntityBuilder<Ticket> e)
        {
            e.ToTable(Table);
            var status = e.Property(t => t.Status);
            if (PlainStatus)
            {
                status.StoredAsText();
            }
            else
            {
                (Shouting
                    ? status.HasConversion(s => s.ToString().ToUpperInvariant(), v => Enum.Parse<TicketStatus>(v, true))
                    : status.HasConversion(s => s.ToString(), v => Enum.Parse<TicketStatus>(v))).HasMaxLength(20);
            }

            e.Property(t => t.Weight).HasPrecision(9, 2).Rounding(MidpointRounding.AwayFromZero);
        }
    }
}
