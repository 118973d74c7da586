using Dapper;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// <c>[EnumLabel("PG-13")]</c> on members of an enum stored with <c>StoredAsEnumType</c>, for labels no C# name gives (as
/// Pagila's and Sakila's <c>mpaa_rating</c> has): the database type holds the declared labels, writes and reads use them,
/// and a query compares by them, on every engine (checked through plain SQL).
/// </summary>
public sealed class EnumLabelTests(Engine engine) : PremixTest(engine)
{
    private const string Table = "label_films";
    private const string EnumType = "label_rating";

    [Test]
    public async Task Declared_labels_are_the_types_labels_and_are_written_read_and_compared()
    {
        await ExecuteAsync($"DROP TABLE IF EXISTS {Q(Table)}");
        if (Engine == Engine.PostgreSql)
        {
            await ExecuteAsync($"DROP TYPE IF EXISTS {EnumType}");
        }

        using var premix = CreatePremix(p => p.AddModelConfiguration(new LabelFilmMap()));
        await premix.SyncAsync();
        await using (var uow = premix.BeginUnitOfWork())
        {
            uow.Repository<LabelFilm>().Add(new LabelFilm { Title = "a", Rating = Rating.Pg13 });
            uow.Repository<LabelFilm>().Add(new LabelFilm { Title = "b", Rating = Rating.NoLabel });
            uow.Repository<LabelFilm>().Add(new LabelFilm { Title = "d", Rating = Rating.Quoted });
            await uow.CommitAsync();
        }

        await ExecuteAsync($"INSERT INTO {Q(Table)} ({Q("Title")}, {Q("Rating")}) VALUES ('c', 'NC-17')");
        var text = Engine == Engine.PostgreSql ? $"{Q("Rating")}::text" : Q("Rating");
        await using var connection = await OpenConnectionAsync();
        var stored = (await connection.QueryAsync<string>($"SELECT {text} FROM {Q(Table)} ORDER BY {Q("Title")}")).ToList();
        var labels = Engine switch
        {
            Engine.PostgreSql => await ScalarAsync<string>($"SELECT enum_range(NULL::{EnumType})::text"),
            Engine.MySql => await ScalarAsync<string>($"SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{Table}' AND COLUMN_NAME = 'Rating'"),
            _ => null,
        };
        await using var read = premix.BeginUnitOfWork();
        var pg13 = Rating.Pg13;
        var found = await read.Repository<LabelFilm>().Query().Where(f => f.Rating == pg13 || f.Rating == Rating.Nc17).OrderBy(f => f.Title).ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(new[] { "PG-13", "no_label", "NC-17", "it's, quoted" }));
            Assert.That(labels, Is.EqualTo(Engine switch { Engine.PostgreSql => "{PG-13,NC-17,no_label,\"it's, quoted\"}", Engine.MySql => "enum('PG-13','NC-17','no_label','it''s, quoted')", _ => null }));
            Assert.That(found.Select(f => (f.Title, f.Rating)), Is.EqualTo(new[] { ("a", Rating.Pg13), ("c", Rating.Nc17) }));
            Assert.That((await premix.DiffAsync()).Operations, Is.Empty);
        }
    }

    [Test]
    public void A_label_with_a_backslash_is_refused_at_startup_on_MySQL_where_the_session_decides_what_it_means()
    {
        IPremix Build() => CreatePremix(p => p.AddModelConfiguration(new SlashFilmMap()));

        if (Engine == Engine.MySql)
        {
            var error = Assert.Throws<MappingException>(() => Build());
            Assert.That(error!.Message, Does.Contain("SlashFilm.Rating").And.Contain(@"'a\b'").And.Contain("[EnumLabel(...)]"));
        }
        else
        {
            using var premix = Build();
            Assert.That(premix.Model.Get(typeof(SlashFilm)).Properties.Single(p => p.Name == "Rating").EnumType!.Labels, Is.EqualTo(new[] { @"a\b" }));
        }
    }

    [Test]
    public void A_label_with_dollar_quotes_is_refused_at_startup_on_PostgreSQL_where_sync_creates_the_type_inside_a_dollar_quoted_block()
    {
        IPremix Build() => CreatePremix(p => p.AddModelConfiguration(new DollarFilmMap()));

        if (Engine == Engine.PostgreSql)
        {
            var error = Assert.Throws<MappingException>(() => Build());
            Assert.That(error!.Message, Does.Contain("DollarFilm.Rating").And.Contain("'a$$b'"));
        }
        else
        {
            using var premix = Build();
            Assert.That(premix.Model.Get(typeof(DollarFilm)).Properties.Single(p => p.Name == "Rating").EnumType!.Labels, Is.EqualTo(new[] { "a$$b" }));
        }
    }

    public enum Dollar
    {
        [EnumLabel("a$$b")]
        Dollars,
    }

    public sealed class DollarFilm
    {
        public long Id { get; set; }

        public Dollar Rating { get; set; }
    }

    private sealed class DollarFilmMap : ModelConfiguration<DollarFilm>
    {
        public override void Configure(EntityBuilder<DollarFilm> e)
        {
            e.ToTable("dollar_films");
            e.Property(f => f.Rating).StoredAsEnumType("dollar");
        }
    }

    public enum Slash
    {
        [EnumLabel(@"a\b")]
        Backslash,
    }

    public sealed class SlashFilm
    {
        public long Id { get; set; }

        public Slash Rating { get; set; }
    }

    private sealed class SlashFilmMap : ModelConfiguration<SlashFilm>
    {
        public override void Configure(EntityBuilder<SlashFilm> e)
        {
            e.ToTable("slash_films");
            e.Property(f => f.Rating).StoredAsEnumType("slash");
        }
    }

    public enum Rating
    {
        [EnumLabel("PG-13")]
        Pg13,

        [EnumLabel("NC-17")]
        Nc17,

        NoLabel,

        [EnumLabel("it's, quoted")]
        Quoted,
    }

    public sealed class LabelFilm
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";

        public Rating Rating { get; set; }
    }

    private sealed class LabelFilmMap : ModelConfiguration<LabelFilm>
    {
        public override void Configure(EntityBuilder<LabelFilm> e)
        {
            e.ToTable(Table);
            e.Property(f => f.Title).HasMaxLength(20);
            e.Property(f => f.Rating).StoredAsEnumType(EnumType);
        }
    }
}
