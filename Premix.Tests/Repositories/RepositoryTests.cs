using Premix.Tests.Infrastructure;

namespace Premix.Tests.Repositories;

/// <summary>Reads and writes through IRepository and the unit of work, asserted through plain SQL.</summary>
public sealed class RepositoryTests(Engine engine) : PremixTest(engine)
{
    private IPremix _premix = null!;

    [SetUp]
    public async Task CreateTablesAsync() => _premix = await CreatePremixWithTablesAsync(new CustomerMap(), new GadgetMap());

    [Test]
    public async Task Add_writes_the_row_on_commit_and_the_generated_key_back_to_the_object()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var ada = new Customer { Name = "Ada", Email = "ada@example.com", Visits = 3 };
        var bob = new Customer { Name = "Bob" };
        uow.Repository<Customer>().Add(ada);
        uow.Repository<Customer>().Add(bob);

        Assert.That(await CountRowsAsync("customers"), Is.Zero, "nothing is sent before the commit");
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ada.Id, Is.GreaterThan(0));
            Assert.That(bob.Id, Is.GreaterThan(ada.Id));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo("Ada"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(3));
            Assert.That(uow.HasPendingChanges, Is.False);
        }
    }

    [Test]
    public async Task Get_find_list_and_count_read_what_was_written()
    {
        var ada = await InsertAsync(new Customer { Name = "Ada", Email = "ada@example.com" });
        await InsertAsync(new Customer { Name = "Bob" });

        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var loaded = await customers.GetAsync(ada.Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.Name, Is.EqualTo("Ada"));
            Assert.That(loaded.Email, Is.EqualTo("ada@example.com"));
            Assert.That(await customers.FindAsync(ada.Id + 1000), Is.Null);
            Assert.That((await customers.ListAsync()).Select(c => c.Name), Is.EquivalentTo(new[] { "Ada", "Bob" }));
            Assert.That(await customers.CountAsync(), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Synchronous_twins_read_and_commit_like_the_async_methods()
    {
        using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var ada = new Customer { Name = "Ada" };
        customers.Add(ada);
        uow.Commit();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers.Get(ada.Id).Name, Is.EqualTo("Ada"));
            Assert.That(customers.Find(ada.Id + 1000), Is.Null);
            Assert.That(customers.List(), Has.Count.EqualTo(1));
            Assert.That(customers.Count(), Is.EqualTo(1));
            Assert.That(() => customers.Get(ada.Id + 1000), Throws.TypeOf<EntityNotFoundException>());
        }
    }

    [Test]
    public async Task Get_of_a_missing_key_throws_an_exception_naming_type_and_key()
    {
        await using var uow = _premix.BeginUnitOfWork();

        var error = Assert.ThrowsAsync<EntityNotFoundException>(() => uow.Repository<Customer>().GetAsync(424242L));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Customer").And.Contain("424242").And.Contain("FindAsync"));
            Assert.That(error.EntityType, Is.EqualTo(typeof(Customer)));
        }
    }

    [Test]
    public async Task Update_and_remove_change_the_row_on_commit()
    {
        var ada = await InsertAsync(new Customer { Name = "Ada" });
        var bob = await InsertAsync(new Customer { Name = "Bob" });

        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var loaded = await customers.GetAsync(ada.Id);
        loaded.Name = "Ada King";
        loaded.Visits = 7;
        customers.Update(loaded);
        customers.Remove(await customers.GetAsync(bob.Id));
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo("Ada King"));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")} WHERE {Q("Id")} = @id", new { id = ada.Id }), Is.EqualTo(7));
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Client_assigned_guid_keys_are_written_and_found()
    {
        var id = Guid.NewGuid();
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Gadget>().Add(new Gadget { Id = id, Label = "sprocket" });
        await uow.CommitAsync();

        var found = await uow.Repository<Gadget>().GetAsync(id);

        Assert.That(found.Label, Is.EqualTo("sprocket"));
    }

    [Test]
    public async Task A_failing_statement_rolls_back_the_whole_commit_and_assigns_no_key()
    {
        var existing = await InsertAsync(new Customer { Name = "Existing" });
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        var first = new Customer { Name = "First" };
        customers.Add(first);
        customers.Update(new Customer { Id = existing.Id, Name = "Changed" });
        await using (var other = _premix.BeginUnitOfWork())
        {
            other.Repository<Gadget>().Add(new Gadget { Id = Guid.Empty, Label = "taken" });
            await other.CommitAsync();
        }

        uow.Repository<Gadget>().Add(new Gadget { Id = Guid.Empty, Label = "duplicate key" });

        var error = Assert.ThrowsAsync<UniqueConstraintException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Entity, Is.EqualTo("Gadget"));
            Assert.That(error.Operation, Is.EqualTo("Insert"));
            Assert.That(error.InnerException, Is.InstanceOf<System.Data.Common.DbException>());
            Assert.That(first.Id, Is.Zero, "no key is assigned when the commit fails");
            Assert.That(await CountRowsAsync("customers"), Is.EqualTo(1));
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")}"), Is.EqualTo("Existing"));
            Assert.That(await CountRowsAsync("gadgets"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Updating_a_row_that_no_longer_exists_throws_ConcurrencyException_and_writes_nothing()
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(new Customer { Name = "New" });
        uow.Repository<Customer>().Update(new Customer { Id = 999, Name = "Ghost" });

        var error = Assert.ThrowsAsync<ConcurrencyException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Customer").And.Contain("999"));
            Assert.That(await CountRowsAsync("customers"), Is.Zero);
        }
    }

    [Test]
    public async Task Null_for_a_required_property_and_too_long_text_fail_validation_before_any_sql()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();
        customers.Add(new Customer { Name = "Fine" });
        customers.Add(new Customer { Name = null! });
        customers.Add(new Customer { Name = new string('x', 21), Email = "secret-value-without-at" });

        var error = Assert.ThrowsAsync<ValidationException>(() => uow.CommitAsync());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Failures, Has.Count.EqualTo(3));
            Assert.That(error.Message, Does.Contain("Customer (new, position 2 in the commit).Name: is required"));
            Assert.That(error.Message, Does.Contain("Customer (new, position 3 in the commit).Name: is 21 characters long; the maximum is 20"));
            Assert.That(error.Message, Does.Contain("Customer (new, position 3 in the commit): Email must contain '@'."));
            Assert.That(error.Message, Does.Not.Contain("secret-value-without-at"));
            Assert.That(await CountRowsAsync("customers"), Is.Zero);
        }
    }

    [Test]
    public async Task Hooks_declared_in_the_mapping_run_before_the_write_and_after_the_commit()
    {
        var calls = new List<string>();
        var premix = CreatePremix(p => p.AddModelConfiguration(new HookedCustomerMap(calls)));
        await using var uow = premix.BeginUnitOfWork();
        var customer = new Customer { Name = "hooked" };
        uow.Repository<Customer>().Add(customer);

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calls, Is.EqualTo(new[] { "before insert, id 0", $"after insert, id {customer.Id}" }));
            Assert.That(await ScalarAsync<int>($"SELECT {Q("Visits")} FROM {Q("customers")}"), Is.EqualTo(1), "a change made by a before-hook is saved");
        }
    }

    [Test]
    public async Task A_commit_with_nothing_pending_sends_nothing_and_succeeds()
    {
        await using var uow = _premix.BeginUnitOfWork();

        await uow.CommitAsync();

        Assert.That(uow.HasPendingChanges, Is.False);
    }

    // Lookups by key and first-row queries read into one list per thread that is emptied and given back after each read
    // (issue 17 item 1): a read that finds nothing after one that found a row must not answer with that row.
    [Test]
    public async Task Lookups_and_first_row_queries_one_after_another_each_answer_their_own_row_or_null()
    {
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Email")}, {Q("Visits")}) VALUES ('Ada', 'ada@example.com', 0), ('Bob', 'bob@example.com', 0)");
        var ada = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = 'Ada'");
        var bob = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = 'Bob'");
        var byEmail = PremixQuery.Compile((Query<Customer> q, string email) => q.Where(c => c.Email == email));

        await using var uow = _premix.BeginUnitOfWork();
        var untracked = uow.Repository<Customer>().AsNoTracking();
        var tracked = uow.Repository<Customer>();
        var answers = new List<string?>
        {
            (await untracked.FindAsync(ada))?.Name,
            (await untracked.FindAsync(ada + bob))?.Name,
            untracked.Find(bob)?.Name,
            untracked.Find(ada + bob + 1)?.Name,
            (await untracked.Query().Where(c => c.Email == "bob@example.com").FirstOrDefaultAsync())?.Name,
            (await untracked.Query().Where(c => c.Email == "nobody@example.com").FirstOrDefaultAsync())?.Name,
            (await byEmail.FirstOrDefaultAsync(untracked, "ada@example.com"))?.Name,
            (await byEmail.FirstOrDefaultAsync(untracked, "nobody@example.com"))?.Name,
            (await tracked.FindAsync(bob))?.Name,
            (await tracked.FindAsync(ada + bob + 2))?.Name,
            (await byEmail.FirstOrDefaultAsync(tracked, "ada@example.com"))?.Name,
            (await byEmail.FirstOrDefaultAsync(tracked, "nobody@example.com"))?.Name,
        };
        var first = await untracked.FindAsync(ada);
        var again = await untracked.FindAsync(ada);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers, Is.EqualTo(new[] { "Ada", null, "Bob", null, "Bob", null, "Ada", null, "Bob", null, "Ada", null }));
            Assert.That(again, Is.Not.SameAs(first), "an untracked read builds its own object");
            Assert.That(first!.Name, Is.EqualTo("Ada"), "a later read leaves an earlier answer as it was");
        }
    }

    // AsNoTracking() is called per read on hot paths: the untracked twin is made once per repository, and stays untracked.
    [Test]
    public async Task AsNoTracking_called_twice_gives_the_same_untracked_repository_and_it_never_tracks()
    {
        await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Email")}, {Q("Visits")}) VALUES ('Ada', 'ada@example.com', 0)");
        var ada = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")} WHERE {Q("Name")} = 'Ada'");
        await using var uow = _premix.BeginUnitOfWork();
        var customers = uow.Repository<Customer>();

        var untracked = customers.AsNoTracking();
        var read = await customers.AsNoTracking().GetAsync(ada);
        read.Name = "Changed";
        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers.AsNoTracking(), Is.SameAs(untracked));
            Assert.That(untracked.AsNoTracking(), Is.SameAs(untracked));
            Assert.That(await untracked.GetAsync(ada), Is.Not.SameAs(read), "every untracked read builds its own object");
            Assert.That(await ScalarAsync<string>($"SELECT {Q("Name")} FROM {Q("customers")} WHERE {Q("Id")} = @ada", new { ada }), Is.EqualTo("Ada"), "a change to an untracked row is not saved");
        }
    }

    private async Task<Customer> InsertAsync(Customer customer)
    {
        await using var uow = _premix.BeginUnitOfWork();
        uow.Repository<Customer>().Add(customer);
        await uow.CommitAsync();
        return customer;
    }

    private sealed class HookedCustomerMap(List<string> calls) : Premix.Mapping.ModelConfiguration<Customer>
    {
        public override void Configure(Premix.Mapping.EntityBuilder<Customer> e)
        {
            e.ToTable("customers");
            e.BeforeInsert(c =>
            {
                calls.Add($"before insert, id {c.Id}");
                c.Visits = 1;
            });
            e.AfterInsert(c => calls.Add($"after insert, id {c.Id}"));
        }
    }
}
