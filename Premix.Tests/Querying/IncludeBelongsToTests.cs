using System.Data.Common;
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
        _premix = await CreatePremixWithTablesAsync(new TeamMap("bt_teams"), new PlayerMap("bt_players"));
        await using var connection = await OpenConnectionAsync();
        await InsertAsync(connection, "bt_teams", 4, "bt_players", TeamOfPlayer);
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
                await AssertOwnPlayersAsync(connection, "bt_players", team);
            }
        }
    }

    [Test]
    public async Task Including_the_parent_of_children_whose_key_names_no_row_leaves_them_without_one_and_out_of_every_parents_children()
    {
        var premix = await ArrangeLooseAsync();
        await using var uow = premix.BeginUnitOfWork();

        var players = await uow.Repository<Player>().Query().AsNoTracking().OrderBy(p => p.Id).Include(p => p.Team).ToListAsync();

        await using var connection = await OpenConnectionAsync();
        var teamNames = (await connection.QueryAsync<string?>(
            $"SELECT t.{Q("Name")} FROM {Q("bt_loose_players")} p LEFT JOIN {Q("bt_loose_teams")} t ON t.{Q("Id")} = p.{Q("TeamId")} ORDER BY p.{Q("Id")}")).ToList();
        var dangling = await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM {Q("bt_loose_players")} p WHERE p.{Q("TeamId")} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Q("bt_loose_teams")} t WHERE t.{Q("Id")} = p.{Q("TeamId")})");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dangling, Is.EqualTo(2), "the arrangement: two players name a team that is not there");
            Assert.That(players.Select(p => p.Team?.Name), Is.EqualTo(teamNames), "each player's team; none for a null key or a key naming no row");
            foreach (var team in players.Select(p => p.Team).OfType<Team>().Distinct())
            {
                await AssertOwnPlayersAsync(connection, "bt_loose_players", team);
            }
        }
    }

    [Test]
    public async Task Including_the_parent_in_a_tracking_unit_of_work_gives_the_children_the_tracked_parent_and_a_commit_writes_nothing()
    {
        var premix = await ArrangeLooseAsync();
        await using var connection = await OpenConnectionAsync();
        var rowsSql = $"SELECT p.{Q("Id")}, p.{Q("TeamId")}, p.{Q("Name")}, t.{Q("Name")} AS {Q("TeamName")} FROM {Q("bt_loose_players")} p LEFT JOIN {Q("bt_loose_teams")} t ON t.{Q("Id")} = p.{Q("TeamId")} ORDER BY p.{Q("Id")}";
        var before = (await connection.QueryAsync<(long, long?, string, string?)>(rowsSql)).ToList();

        IReadOnlyList<Player> players;
        Team tracked;
        await using (var uow = premix.BeginUnitOfWork())
        {
            tracked = await uow.Repository<Team>().GetAsync(1L);
            players = await uow.Repository<Player>().Query().OrderBy(p => p.Id).Include(p => p.Team).ToListAsync();
            await uow.CommitAsync();
        }

        var after = (await connection.QueryAsync<(long, long?, string, string?)>(rowsSql)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(players.Select(p => p.Team?.Name), Is.EqualTo(before.Select(r => r.Item4)), "each player's team; none for a null key or a key naming no row");
            Assert.That(players.Where(p => p.TeamId == 1).Select(p => p.Team), Has.All.SameAs(tracked), "team 1's players share the instance tracked before the include");
            await AssertOwnPlayersAsync(connection, "bt_loose_players", tracked);
            Assert.That(after, Is.EqualTo(before), "the commit wrote nothing");
        }
    }

    [Test]
    public async Task Including_the_parent_of_a_filtered_set_in_a_tracking_unit_of_work_sets_its_collection_to_the_children_read_and_a_commit_writes_nothing()
    {
        var premix = await ArrangeLooseAsync();
        await using var connection = await OpenConnectionAsync();
        var rowsSql = $"SELECT {Q("Id")}, {Q("TeamId")}, {Q("Name")} FROM {Q("bt_loose_players")} ORDER BY {Q("Id")}";
        var before = (await connection.QueryAsync<(long, long?, string)>(rowsSql)).ToList();
        var all = (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q("bt_loose_players")} WHERE {Q("TeamId")} = 1 ORDER BY {Q("Id")}")).ToList();

        Team team;
        List<long> loadedFirst;
        await using (var uow = premix.BeginUnitOfWork())
        {
            team = (await uow.Repository<Team>().Query().Where(t => t.Id == 1).Include(t => t.Players).ToListAsync()).Single();
            loadedFirst = team.Players.Select(p => p.Id).Order().ToList();
            var last = all[^1];
            await uow.Repository<Player>().Query().Where(p => p.Id == last).Include(p => p.Team).ToListAsync();
            await uow.CommitAsync();
        }

        var after = (await connection.QueryAsync<(long, long?, string)>(rowsSql)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loadedFirst, Is.EqualTo(all), "the arrangement: the first include loads all of team 1's players");
            Assert.That(team.Players.Select(p => p.Id), Is.EqualTo(new[] { all[^1] }), "the second include leaves the tracked team only the player it read");
            Assert.That(after, Is.EqualTo(before), "the commit wrote nothing: the collection is what was read, not a change");
        }
    }

    // The team's players are exactly the rows of the players' table that name it, each pointing back at it.
    private async Task AssertOwnPlayersAsync(DbConnection connection, string players, Team team)
    {
        var own = (await connection.QueryAsync<long>($"SELECT {Q("Id")} FROM {Q(players)} WHERE {Q("TeamId")} = @id ORDER BY {Q("Id")}", new { id = team.Id })).ToList();
        Assert.That(team.Players.Select(p => p.Id).Order(), Is.EqualTo(own), $"{team.Name}'s players");
        Assert.That(team.Players.All(p => ReferenceEquals(p.Team, team)), Is.True, $"{team.Name}'s players point back at it");
    }

    // The same classes on tables made by plain SQL without a foreign key constraint, so two players can name team 99,
    // which is not there; team 3 has no player.
    private async Task<IPremix> ArrangeLooseAsync()
    {
        var premix = CreatePremix(p => p.AddModelConfiguration(new TeamMap("bt_loose_teams")).AddModelConfiguration(new PlayerMap("bt_loose_players")));
        await using var connection = await OpenConnectionAsync();
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q("bt_loose_players")}");
        await connection.ExecuteAsync($"DROP TABLE IF EXISTS {Q("bt_loose_teams")}");
        await connection.ExecuteAsync($"CREATE TABLE {Q("bt_loose_teams")} ({Q("Id")} BIGINT NOT NULL PRIMARY KEY, {Q("Name")} VARCHAR(20) NOT NULL)");
        await connection.ExecuteAsync($"CREATE TABLE {Q("bt_loose_players")} ({Q("Id")} BIGINT NOT NULL PRIMARY KEY, {Q("TeamId")} BIGINT NULL, {Q("Name")} VARCHAR(20) NOT NULL)");
        await InsertAsync(connection, "bt_loose_teams", 3, "bt_loose_players", [1, 99, null, 2, 1, 99]);
        return premix;
    }

    // Teams 1 to teamCount ("team N"), then one player a value of teamOfPlayer, numbered from 1 ("player N"), naming that team.
    private async Task InsertAsync(DbConnection connection, string teams, int teamCount, string players, long?[] teamOfPlayer)
    {
        for (var t = 1; t <= teamCount; t++)
        {
            await connection.ExecuteAsync($"INSERT INTO {Q(teams)} ({Q("Id")}, {Q("Name")}) VALUES (@id, @name)", new { id = (long)t, name = $"team {t}" });
        }

        for (var p = 0; p < teamOfPlayer.Length; p++)
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {Q(players)} ({Q("Id")}, {Q("TeamId")}, {Q("Name")}) VALUES (@id, @team, @name)",
                new { id = (long)p + 1, team = teamOfPlayer[p], name = $"player {p + 1}" });
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

    // The same mapping on two pairs of tables: bt_teams and bt_players, with the foreign key; bt_loose_*, without.
    private sealed class TeamMap(string table) : ModelConfiguration<Team>
    {
        public override void Configure(EntityBuilder<Team> e)
        {
            e.ToTable(table);
            e.HasKey(t => t.Id).IsClientAssigned();
            e.Property(t => t.Name).HasMaxLength(20);
            e.HasMany(t => t.Players).WithForeignKey(p => p.TeamId);
        }
    }

    private sealed class PlayerMap(string table) : ModelConfiguration<Player>
    {
        public override void Configure(EntityBuilder<Player> e)
        {
            e.ToTable(table);
            e.HasKey(p => p.Id).IsClientAssigned();
            e.Property(p => p.Name).HasMaxLength(20);
            e.BelongsTo(p => p.Team).WithForeignKey(p => p.TeamId);
        }
    }
}
