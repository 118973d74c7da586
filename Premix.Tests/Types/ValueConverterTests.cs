using Dapper;
using Premix.Migrations;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// Converted properties (<see cref="AccountMap"/>) on every engine: values are stored as the converter's provider values
/// (checked through plain SQL), read back through it, found by a converted key, compared in queries by their stored
/// values, change-tracked by them, and given columns of the provider type by the schema sync (docs/types.md, "Value converters").
/// </summary>
public sealed class ValueConverterTests(Engine engine) : PremixTest(engine)
{
    private static readonly DateTime Seen = new(2026, 2, 5, 13, 45, 30, DateTimeKind.Utc);

    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync()
    {
        _premix = CreatePremix(p => AccountMap.Registry(p.AddModelConfiguration(new AccountMap()).AddModelConfiguration(new InvoiceMap())));
        await RecreateTablesAsync(_premix);
    }

    [TearDown]
    public void DisposePremix() => _premix.Dispose();

    [Test]
    public async Task Converted_values_are_stored_as_their_provider_values_and_read_back_through_GetAsync_lists_and_projections()
    {
        var account = await AddAsync(NewAccount("Ada"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(account.Id.Value, Is.GreaterThan(0), "the generated key comes back converted");
            Assert.That(await StoredAsync<long>(account, "Id"), Is.EqualTo(account.Id.Value));
            Assert.That(await StoredAsync<string>(account, "Email"), Is.EqualTo("ada@example.com"));
            Assert.That(await StoredAsync<string>(account, "Website"), Is.EqualTo("https://example.com/a?b=1#top"));
            Assert.That(await StoredAsync<int>(account, "Tier"), Is.EqualTo(3));
            Assert.That(await StoredAsync<string>(account, "Code"), Is.EqualTo("A-1"));
        }

        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Account>().GetAsync(account.Id);
        var listed = await uow.Repository<Account>().Query().ToListAsync();
        var projected = await uow.Repository<Account>().Query().Select(a => new { a.Id, a.Code, a.Website }).FirstAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.Id, Is.EqualTo(account.Id));
            Assert.That(loaded.Email, Is.EqualTo(new EmailAddress("ada@example.com")));
            Assert.That(loaded.Website!.OriginalString, Is.EqualTo("https://example.com/a?b=1#top"));
            Assert.That(loaded.Tier, Is.EqualTo(Tier.Gold));
            Assert.That(loaded.Code, Is.EqualTo(new Sku("A-1")));
            Assert.That(loaded.SeenAt, Is.EqualTo(Seen));
            Assert.That(loaded.SeenAt.Kind, Is.EqualTo(DateTimeKind.Utc), "the DateTimeKind converter stamps the kind on read");
            Assert.That(listed, Is.EqualTo(new[] { loaded }), "the identity map gives the instance GetAsync loaded");
            Assert.That((projected.Id, projected.Code, projected.Website?.OriginalString), Is.EqualTo((account.Id, (Sku?)new Sku("A-1"), "https://example.com/a?b=1#top")), "a projection reads through the converters");
        }
    }

    [Test]
    public async Task An_update_writes_the_changed_provider_values_and_nulls()
    {
        var account = await AddAsync(NewAccount("Ada"));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Account>().GetAsync(account.Id);
            loaded.Website = new Uri("/relative/path", UriKind.Relative);
            loaded.Code = null;
            loaded.Email = new EmailAddress("lovelace@example.com");
            loaded.Tier = Tier.Silver;
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync<string>(account, "Website"), Is.EqualTo("/relative/path"));
            Assert.That(await StoredAsync<string?>(account, "Code"), Is.Null);
            Assert.That(await StoredAsync<string>(account, "Email"), Is.EqualTo("lovelace@example.com"));
            Assert.That(await StoredAsync<int>(account, "Tier"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Many_accounts_inserted_and_updated_in_one_commit_each_are_stored_as_their_provider_values()
    {
        var accounts = Enumerable.Range(1, 5).Select(i => NewAccount("N" + i)).ToList();
        accounts[2].Code = null;
        accounts[3].Website = null;

        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var account in accounts)
            {
                uow.Repository<Account>().Add(account);
            }

            await uow.CommitAsync();
        }

        var rows = (await QueryAsync<(long Id, string? Code, string? Website, int Tier)>(
            $"SELECT {Q("Id")}, {Q("Code")}, {Q("Website")}, {Q("Tier")} FROM {Q(AccountMap.Table)} ORDER BY {Q("Id")}")).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.Id), Is.EqualTo(accounts.Select(a => a.Id.Value)));
            Assert.That(rows.Select(r => r.Code), Is.EqualTo(new[] { "A-1", "A-1", null, "A-1", "A-1" }));
            Assert.That(rows.Select(r => r.Website is null), Is.EqualTo(new[] { false, false, false, true, false }));
            Assert.That(rows.Select(r => r.Tier), Is.All.EqualTo(3));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            foreach (var account in await uow.Repository<Account>().Query().ToListAsync())
            {
                account.Code = new Sku("U-" + account.Name);
            }

            await uow.CommitAsync(); // one many-row update
        }

        Assert.That(await QueryAsync<string>($"SELECT {Q("Code")} FROM {Q(AccountMap.Table)} ORDER BY {Q("Id")}"), Is.EqualTo(accounts.Select(a => "U-" + a.Name)));
    }

    [Test]
    public async Task A_converted_key_finds_the_row_and_the_identity_map_keeps_one_instance_per_key()
    {
        var account = await AddAsync(NewAccount("Ada"));

        await using var uow = _premix.BeginUnitOfWork();
        var first = await uow.Repository<Account>().GetAsync(account.Id);
        var second = await uow.Repository<Account>().FindAsync(new AccountId(account.Id.Value));
        var queried = await uow.Repository<Account>().Query().Where(a => a.Id == account.Id).SingleAsync();
        var missing = await uow.Repository<Account>().FindAsync(new AccountId(account.Id.Value + 1000));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(queried, Is.SameAs(first));
            Assert.That(missing, Is.Null);
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => uow.Repository<Account>().GetAsync(account.Id.Value))!.Message,
                Is.EqualTo($"Account.Id is a AccountId (stored as Int64); pass a AccountId as the key, not a Int64. (Parameter 'key')"));
        }
    }

    [Test]
    public async Task Where_and_Contains_on_converted_properties_compare_the_stored_values()
    {
        var ada = await AddAsync(NewAccount("Ada"));
        var bob = NewAccount("Bob");
        bob.Code = new Sku("B-2");
        bob.Tier = Tier.Bronze;
        bob.Website = new Uri("https://example.org");
        bob = await AddAsync(bob);
        var wanted = new List<AccountId> { bob.Id, new(-1) };
        var codes = new[] { new Sku("A-1"), new Sku("Z-9") };
        var site = new Uri("https://example.org");

        await using var uow = _premix.BeginUnitOfWork();
        var accounts = uow.Repository<Account>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Names(accounts.Query().Where(a => a.Id == ada.Id)), Is.EqualTo(new[] { "Ada" }), "a captured id");
            Assert.That(await Names(accounts.Query().Where(a => a.Id != ada.Id)), Is.EqualTo(new[] { "Bob" }));
            Assert.That(await Names(accounts.Query().Where(a => a.Code == new Sku("B-2"))), Is.EqualTo(new[] { "Bob" }), "a constructed value");
            Assert.That(await Names(accounts.Query().Where(a => a.Code != null)), Is.EqualTo(new[] { "Ada", "Bob" }));
            Assert.That(await Names(accounts.Query().Where(a => a.Tier == Tier.Gold)), Is.EqualTo(new[] { "Ada" }), "an enum stored as a short");
            Assert.That(await Names(accounts.Query().Where(a => a.Tier > Tier.Bronze)), Is.EqualTo(new[] { "Ada" }));
            Assert.That(await Names(accounts.Query().Where(a => a.Website == site)), Is.EqualTo(new[] { "Bob" }), "a Uri");
            Assert.That(await Names(accounts.Query().Where(a => a.Email == new EmailAddress("ada@example.com"))), Is.EqualTo(new[] { "Ada", "Bob" }));
            Assert.That(await Names(accounts.Query().Where(a => a.Id.Value > ada.Id.Value)), Is.EqualTo(new[] { "Bob" }), "the stored member of a strongly typed id is the column");
            Assert.That(await Names(accounts.Query().Where(a => a.Code!.Value.Value.StartsWith("B"))), Is.EqualTo(new[] { "Bob" }));
            Assert.That(await Names(accounts.Query().Where(a => wanted.Contains(a.Id))), Is.EqualTo(new[] { "Bob" }), "Contains on a list of ids");
            Assert.That(await Names(accounts.Query().Where(a => codes.Contains(a.Code!.Value))), Is.EqualTo(new[] { "Ada" }), "Contains on an array of codes");
            Assert.That((await accounts.Query().OrderByDescending(a => a.Id).ToListAsync()).Select(a => a.Name), Is.EqualTo(new[] { "Bob", "Ada" }));
        }
    }

    [Test]
    public async Task Reading_into_a_converted_value_past_its_stored_member_fails_with_a_message_naming_the_property()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<NotSupportedException>(() => uow.Repository<Account>().Query().Where(a => a.Website!.Host == "example.org").ToListAsync());

        Assert.That(error!.Message, Does.StartWith("Account.Website is stored through a conversion, so 'a.Website.Host' in 'a => (a.Website.Host == \"example.org\")' cannot be translated to SQL: the column holds only the String the converter stores."));
    }

    [Test]
    public async Task UpdateAllAsync_sets_a_converted_column_to_its_provider_value()
    {
        var account = await AddAsync(NewAccount("Ada"));

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var updated = await uow.Repository<Account>().Query().Where(a => a.Id == account.Id).UpdateAllAsync(s => s.Set(a => a.Code, new Sku("C-3")).Set(a => a.Tier, Tier.Silver));
            await uow.CommitAsync();
            Assert.That(updated, Is.EqualTo(1));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync<string>(account, "Code"), Is.EqualTo("C-3"));
            Assert.That(await StoredAsync<int>(account, "Tier"), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task A_converted_value_equal_to_the_loaded_one_is_not_written_and_a_different_one_is()
    {
        var account = await AddAsync(NewAccount("Ada"));
        var table = Q(AccountMap.Table);

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Account>().GetAsync(account.Id);
            loaded.Website = new Uri("https://example.com/a?b=1#top"); // a new instance with the same stored text
            loaded.Code = new Sku("A-1");
            await ExecuteAsync($"UPDATE {table} SET {Q("Website")} = 'changed elsewhere', {Q("Code")} = 'X' WHERE {Q("Id")} = {account.Id.Value}");
            await uow.CommitAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await StoredAsync<string>(account, "Website"), Is.EqualTo("changed elsewhere"), "an equal value is no change");
            Assert.That(await StoredAsync<string>(account, "Code"), Is.EqualTo("X"));
        }

        await using (var uow = _premix.BeginUnitOfWork())
        {
            var loaded = await uow.Repository<Account>().GetAsync(account.Id);
            loaded.Website = new Uri("https://example.com/a?b=1#bottom"); // Uri.Equals ignores the fragment; the stored text does not
            await uow.CommitAsync();
        }

        Assert.That(await StoredAsync<string>(account, "Website"), Is.EqualTo("https://example.com/a?b=1#bottom"));
    }

    [Test]
    public async Task A_converted_foreign_key_takes_its_parents_generated_key_and_Include_loads_the_children()
    {
        var account = NewAccount("Ada");
        account.Invoices.Add(new Invoice { Total = 10m });
        account.Invoices.Add(new Invoice { Total = 20m });
        await AddAsync(account);

        var stored = await QueryAsync<long>($"SELECT {Q("AccountId")} FROM {Q(InvoiceMap.Table)}");
        await using var uow = _premix.BeginUnitOfWork();
        var loaded = await uow.Repository<Account>().Query().Where(a => a.Id == account.Id).Include(a => a.Invoices).SingleAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(new[] { account.Id.Value, account.Id.Value }));
            Assert.That(loaded.Invoices.Select(i => i.Total).Order(), Is.EqualTo(new[] { 10m, 20m }));
            Assert.That(loaded.Invoices.Select(i => i.AccountId), Is.All.EqualTo(account.Id));
        }
    }

    [Test]
    public async Task Schema_sync_creates_columns_of_the_provider_types_and_a_diff_after_it_is_empty()
    {
        var diff = await _premix.DiffAsync();
        var types = Engine == Engine.Sqlite
            ? await QueryAsync<string>($"SELECT type FROM pragma_table_info('{AccountMap.Table}') WHERE name IN ('Id', 'Tier', 'Code', 'Website') ORDER BY name")
            : await QueryAsync<string>($"SELECT data_type FROM information_schema.columns WHERE table_name = '{AccountMap.Table}' AND column_name IN ('Id', 'Tier', 'Code', 'Website') AND table_schema = {(Engine == Engine.MySql ? "DATABASE()" : "current_schema()")} ORDER BY column_name");

        var expected = Engine switch
        {
            Engine.PostgreSql => new[] { "character varying", "bigint", "smallint", "text" },
            Engine.MySql => ["varchar", "bigint", "smallint", "longtext"],
            _ => ["TEXT", "INTEGER", "INTEGER", "TEXT"],
        };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(types, Is.EqualTo(expected), "Code, Id, Tier, Website");
            Assert.That(diff.IsEmpty, Is.True, $"the schema Premix created differs from its mapping:{Environment.NewLine}{diff}");
        }
    }

    private static Account NewAccount(string name) => new()
    {
        Name = name,
        Email = new EmailAddress("ada@example.com"),
        Website = new Uri("https://example.com/a?b=1#top"),
        Tier = Tier.Gold,
        SeenAt = Seen,
        Code = new Sku("A-1"),
    };

    private async Task<Account> AddAsync(Account account)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Account>().Add(account);
        await uow.CommitAsync();
        return account;
    }

    private static async Task<string[]> Names(Query<Account> query) => (await query.ToListAsync()).Select(a => a.Name).Order().ToArray();

    private Task<T?> StoredAsync<T>(Account account, string column) =>
        ScalarAsync<T>($"SELECT {Q(column)} FROM {Q(AccountMap.Table)} WHERE {Q("Id")} = @id", new { id = account.Id.Value });

    private async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
