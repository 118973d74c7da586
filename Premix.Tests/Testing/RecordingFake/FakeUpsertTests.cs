using Premix.Testing;
using Premix.Tests.Repositories;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake upserts as the databases do (UpsertTests): insert path, update path with the key written back, version guard, insert-or-ignore, refusals.</summary>
public sealed class FakeUpsertTests
{
    [Test]
    public async Task The_fake_upserts_on_a_unique_index_inserting_then_updating_the_same_row()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new SubscriberMap()));
        var first = new Subscriber { Email = "ada@example.org", Name = "Ada" };
        var second = new Subscriber { Email = "ada@example.org", Name = "Ada Lovelace" };
        UpsertOutcome inserted, updated;
        await using (var uow = fake.BeginUnitOfWork())
        {
            inserted = uow.Repository<Subscriber>().Upsert(first, on: s => s.Email);
            await uow.CommitAsync();
        }

        await using (var uow = fake.BeginUnitOfWork())
        {
            updated = uow.Repository<Subscriber>().Upsert(second, on: s => s.Email);
            await uow.CommitAsync();
        }

        await using var read = fake.BeginUnitOfWork();
        var rows = await read.Repository<Subscriber>().ListAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => (r.Id, r.Name)), Is.EqualTo(new[] { (1L, "Ada Lovelace") }));
            Assert.That(second.Id, Is.EqualTo(first.Id));
            Assert.That((inserted.Inserted, updated.Inserted), Is.EqualTo(((bool?)true, (bool?)false)));
            Assert.That(fake.Commits[^1].Writes[0].Kind, Is.EqualTo(RecordedWriteKind.Upsert));
        }
    }

    [Test]
    public async Task The_fake_updates_the_row_found_by_a_unique_index_whatever_the_client_assigned_key_and_writes_its_key_back()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new CountryMap()).AddModelConfiguration(new CityMap()));
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Country>().Add(new Country { Code = "FR", Name = "France" });
            await uow.CommitAsync();
        }

        var france = new Country { Code = "FX", Name = "France", Cities = [new City { Name = "Paris" }] };
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Country>().Upsert(france, on: c => c.Name);
            await uow.CommitAsync();
        }

        await using var read = fake.BeginUnitOfWork();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(france.Code, Is.EqualTo("FR"));
            Assert.That((await read.Repository<Country>().ListAsync()).Select(c => c.Code), Is.EqualTo(new[] { "FR" }));
            Assert.That((await read.Repository<City>().ListAsync()).Select(c => c.CountryCode), Is.EqualTo(new[] { "FR" }));
        }
    }

    [Test]
    public async Task The_fake_bumps_the_version_of_an_upsert_that_updates_and_refuses_a_stale_one()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new PreferenceMap()));
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Preference>().Upsert(new Preference { Name = "theme", Value = "dark" });
            await uow.CommitAsync();
        }

        var fresh = new Preference { Name = "theme", Value = "light" };
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Preference>().Upsert(fresh);
            await uow.CommitAsync();
        }

        await using var stale = fake.BeginUnitOfWork();
        stale.Repository<Preference>().Upsert(new Preference { Name = "theme", Value = "blue", Version = 0 });
        Assert.ThrowsAsync<ConcurrencyException>(() => stale.CommitAsync());
        await using var read = fake.BeginUnitOfWork();
        var row = await read.Repository<Preference>().GetAsync("theme");
        Assert.That((fresh.Version, row.Value, row.Version), Is.EqualTo((1, "light", 1)));
    }

    [Test]
    public async Task The_fake_ignores_a_conflicting_insert_or_ignore_and_refuses_bad_targets()
    {
        using var fake = FakePremix.Create(p => p.AddModelConfiguration(new SubscriberMap()));
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Subscriber>().Add(new Subscriber { Email = "ada@example.org", Name = "Ada" });
            await uow.CommitAsync();
        }

        await using var work = fake.BeginUnitOfWork();
        var subscribers = work.Repository<Subscriber>();
        Assert.Throws<ArgumentException>(() => subscribers.Upsert(new Subscriber { Email = "x@example.org" }));
        Assert.Throws<ArgumentException>(() => subscribers.Upsert(new Subscriber { Email = "x@example.org" }, on: s => s.Name));
        var again = new Subscriber { Email = "ada@example.org", Name = "Other" };
        var outcome = subscribers.InsertOrIgnore(again, on: s => s.Email);
        await work.CommitAsync();

        await using var read = fake.BeginUnitOfWork();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.Inserted, Is.False);
            Assert.That(again.Id, Is.Zero);
            Assert.That((await read.Repository<Subscriber>().ListAsync()).Select(s => s.Name), Is.EqualTo(new[] { "Ada" }));
        }
    }
}
