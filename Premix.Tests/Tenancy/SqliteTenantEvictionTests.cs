using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Tenancy;

/// <summary>
/// SQLite only (a database per tenant is a file): a tenant database closed to make room (or by disposing Premix) leaves no handle on its file, so
/// the file can be moved, replaced or deleted. Counted through /proc/self/fd, since Linux lets a file with open handles be deleted.
/// </summary>
[Platform("Linux")]
public sealed class SqliteTenantEvictionTests
{
    [Test]
    public async Task Sqlite_an_evicted_tenant_database_keeps_no_open_handle_on_its_file()
    {
        var folder = Directory.CreateTempSubdirectory("premix-evict-");
        try
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tenant in new[] { "acme", "globex" })
            {
                files[tenant] = Path.Combine(folder.FullName, tenant + ".db");
                await TenantSql.ExecuteAsync(Engine.Sqlite, $"Data Source={files[tenant]};Pooling=False", TenantTables.Create(Engine.Sqlite) + TenantTables.Seed(tenant, 100));
            }

            await using var premix = PremixFactory.Create(p => p.UseSqlite($"Data Source={Path.Combine(folder.FullName, "catalog.db")}")
                .UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>()
                .UseTenants(t =>
                {
                    t.DatabasePerTenant(tenant => files.TryGetValue(tenant, out var file) ? $"Data Source={file};Mode=ReadWrite" : null);
                    t.MaxOpenDatabases = 1;
                }));

            Assert.That(await NameOfAccountOneAsync(premix, "acme"), Is.EqualTo("acme-1"));
            Assert.That(OpenHandles(files["acme"]), Is.Positive, "the open tenant's pool holds its file (so the count below can see one)");

            Assert.That(await NameOfAccountOneAsync(premix, "globex"), Is.EqualTo("globex-1"), "acme's idle database made room");

            Assert.That(OpenHandles(files["acme"]), Is.Zero, "the evicted tenant's pooled connections still hold its file");
            Assert.That(OpenHandles(files["globex"]), Is.Positive);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Sqlite_a_tenant_database_whose_open_finishes_after_disposal_is_closed_and_the_lease_refused()
    {
        var folder = Directory.CreateTempSubdirectory("premix-evict-");
        try
        {
            var file = Path.Combine(folder.FullName, "acme.db");
            await TenantSql.ExecuteAsync(Engine.Sqlite, $"Data Source={file};Pooling=False", TenantTables.Create(Engine.Sqlite) + TenantTables.Seed("acme", 1));
            using var inCallback = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var premix = PremixFactory.Create(p => p.UseSqlite($"Data Source={Path.Combine(folder.FullName, "catalog.db")}")
                .UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>()
                .UseTenants(t => t.DatabasePerTenant(tenant =>
                {
                    inCallback.Set();
                    release.Wait(TimeSpan.FromSeconds(30)); // only reached on failure: the test releases it
                    return tenant == "acme" ? $"Data Source={file};Mode=ReadWrite" : null;
                })));

            // A request in flight at shutdown: its tenant is still being opened when the host disposes Premix.
            var lease = Task.Run(() => NameOfAccountOneAsync(premix, "acme"));
            Assert.That(inCallback.Wait(TimeSpan.FromSeconds(30)), Is.True, "the lease reached the callback");
            await premix.DisposeAsync();
            release.Set();

            Assert.That(async () => await lease, Throws.TypeOf<ObjectDisposedException>());
            Assert.That(OpenHandles(file), Is.Zero, "what the late open made is closed, not left in a disposed Premix");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Sqlite_disposing_premix_asynchronously_leaves_no_open_handle_on_its_file()
    {
        var folder = Directory.CreateTempSubdirectory("premix-evict-");
        try
        {
            var file = Path.Combine(folder.FullName, "main.db");
            await TenantSql.ExecuteAsync(Engine.Sqlite, $"Data Source={file};Pooling=False", TenantTables.Create(Engine.Sqlite) + TenantTables.Seed("main", 1));
            var premix = PremixFactory.Create(p => p.UseSqlite($"Data Source={file};Mode=ReadWrite")
                .UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration<TenantAccountMap>().AddModelConfiguration<TenantInvoiceMap>());
            await using (var uow = premix.BeginUnitOfWork())
            {
                Assert.That((await uow.Repository<TenantAccount>().GetAsync(1L)).Name, Is.EqualTo("main-1"));
            }

            Assert.That(OpenHandles(file), Is.Positive, "the pool holds the file (so the count below can see one)");

            await premix.DisposeAsync(); // as await using and a host disposing its singletons do

            Assert.That(OpenHandles(file), Is.Zero);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> NameOfAccountOneAsync(IPremix premix, string tenant)
    {
        using (PremixTenant.Begin(tenant))
        {
            await using var uow = premix.BeginUnitOfWork();
            return (await uow.Repository<TenantAccount>().GetAsync(1L)).Name;
        }
    }

    // The process's file descriptors that name the file (its -wal and -shm siblings are other names).
    private static int OpenHandles(string file) =>
        Directory.EnumerateFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == file;
            }
            catch (IOException)
            {
                return false; // closed between listing and reading
            }
        });
}
