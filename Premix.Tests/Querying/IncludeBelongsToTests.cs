using Dapper;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// Include of a parent (BelongsTo) from children whose foreign keys repeat or are null: each parent is read once, shared by
/// its children and given exactly its own children back; a child without a key has no parent. Seeded and checked with
/// plain SQL.
/// </summary>
public sealed class IncludeBelongsToTests(Engine engine) : PremixTest(engine)
{
    private static readonly long?[] TeamOfPlayer = [1, 1, 2, null, 1, 2, null, 3]; // team 4 has no player

    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _premix = await CreatePremixWithTablesAsync(new TeamMap(), new PlayerMap());
        await using var connection = await OpenConnectionAsync();
        for (var t = 1; t <= 4; t++)
        {
            await connection.ExecuteAsync($"INSERT INTO {Q("bt_teams")} ({Q("Id")}, {Q("Name")}) VALUES (@id, @name)", new { id = (long)t, name = $"team {t}" });
        }

        for (var p = 0; p < TeamOfPlayer.Length; p++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Q("bt_players")} ({Q("Id")}, {Q("TeamId")}, {Q("Name")}) VALUES (@id, @team, @name)",
                new { id = (long)p + 1, team = TeamOfPlayer[p], name = $"player {p + 1}" });
        }
    }

    [Test]
    public async Task Including_the_parent_of_children_with_repeated_and_null_keys_reads_each_parent_once_and_gives_it_its_own_children()
    {
        await using var uow = _premix.BeginUnitOfWork();
        using var queries = uow.RecordQueries();

        var players = await uow.Repository<Player>().Query().AsNoTracking().OrderBy(p => p.Id).Include(p => p.Team).ToListAsync();

        await using var connection = await OpenConnectionAsync();
        var teamNames = (await connection.QueryAsync<string?>(
            $"SELECT t.{Q("Name")} FROM {Q("bt_players")} p LEFT JOIN {Q("bt_teams")} t ON t.{Q("Id")} = p.{Q("TeamId")} ORDER BY p.{Q("Id")}")).ToList();
        var teams = players.Select(p => p.Team).OfType<Team>().Distinct().ToList();
        queries.AssertCount(2).AssertCount(1, StatementKind.Select, "bt_teams");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(players.Select(p => p.Team?.Name), Is.EqualTo(teamNames), "each player's team, none for a null key");
            Assert.That(teams.Select(t => t.Name).Order(), Is.EqualTo(new[] { "team 1", "team 2", "team 3" }), "each team read once, shared by its players");
            foreach (var team in teams)
            {
                var own = (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("bt_players")} WHERE {Q("TeamId")} = @id ORDER BY {Q("Id")}", new { id = team.Id })).ToList();
                Assert.That(team.Players.Select(p => p.Id).Order(), Is.EqualTo(own), $"{team.Name}'s players");
                Assert.That(team.Players.All(p => ReferenceEquals(p.Team, team)), Is.True, $"{team.Name}'s players point back at it");
            }
        }
    }

    public sealed class Team
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public List<Player> Players { get; set; } = [];
    }

    public sealed class Player
    {
        public long Id { get; set; }

        public long? TeamId { get; set; }

        public string Name { get; set; } = "";

        public Team? Team { get; set; }
    }

    private sealed class TeamMap : ModelConfiguration<Team>
    {
        public override void Configure(EntityBuilder<Team> e)
        {
            e.ToTable("bt_teams");
            e.HasKey(t => t.Id).IsClientAssigned();
            e.Property(t => t.Name).HasMaxLength(20);
            e.HasMany(t => t.Players).WithForeignKey(p => p.TeamId);
        }
    }

    private sealed class PlayerMap : ModelConfiguration<Player>
    {
        public override void Configure(EntityBuilder<Player> e)
        {
            e.ToTable("bt_players");
            e.HasKey(p => p.Id).IsClientAssigned();
            e.Property(p => p.Name).HasMaxLength(20);
            e.BelongsTo(p => p.Team).WithForeignKey(p => p.TeamId);
        }
    }
}
