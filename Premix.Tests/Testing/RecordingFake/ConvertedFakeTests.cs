using Premix.Testing;
using Premix.Tests.Types;

namespace Premix.Tests.Testing.RecordingFake;

/// <summary>The recording fake with converted properties: generated strongly typed keys, lookups and filters by converted values.</summary>
public sealed class ConvertedFakeTests
{
    [Test]
    public async Task The_fake_generates_converted_keys_and_finds_and_filters_by_converted_values()
    {
        using var fake = FakePremix.Create(p => AccountMap.Registry(p.AddModelConfiguration(new AccountMap()).AddModelConfiguration(new InvoiceMap())));
        var ada = new Account { Name = "Ada", Code = new Sku("A-1"), Tier = Tier.Gold };
        var bob = new Account { Name = "Bob", Code = new Sku("B-2"), Tier = Tier.Bronze };
        await using (var uow = fake.BeginUnitOfWork())
        {
            uow.Repository<Account>().Add(ada);
            uow.Repository<Account>().Add(bob);
            await uow.CommitAsync();
        }

        await using var read = fake.BeginUnitOfWork();
        var accounts = read.Repository<Account>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((ada.Id, bob.Id), Is.EqualTo((new AccountId(1), new AccountId(2))));
            Assert.That((await accounts.GetAsync(bob.Id)).Name, Is.EqualTo("Bob"));
            Assert.That((await accounts.Query().Where(a => a.Code == new Sku("A-1")).SingleAsync()).Name, Is.EqualTo("Ada"));
            Assert.That((await accounts.Query().Where(a => new[] { bob.Id }.Contains(a.Id)).SingleAsync()).Name, Is.EqualTo("Bob"));
            Assert.That((await accounts.Query().Where(a => a.Tier > Tier.Bronze).SingleAsync()).Name, Is.EqualTo("Ada"));
            Assert.That((await accounts.Query().Where(a => a.Id.Value > 1).SingleAsync()).Name, Is.EqualTo("Bob"));
            Assert.That((await accounts.Query().OrderByDescending(a => a.Id).ToListAsync()).Select(a => a.Name), Is.EqualTo(new[] { "Bob", "Ada" }));
        }
    }
}
