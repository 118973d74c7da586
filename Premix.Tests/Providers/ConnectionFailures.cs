using System.Diagnostics;
using Premix.Migrations;
using Premix.Providers;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Providers;

/// <summary>
/// The ways into a database a user has (reads and a commit in a unit of work, the synchronous API, raw SQL, schema sync,
/// migration status, scaffolding), run against a connection that cannot open, and what each must throw.
/// </summary>
internal static class ConnectionFailures
{
    /// <summary>A password no driver message would contain by chance; it must appear in no message.</summary>
    public const string Password = "Tr0ub4dor-and-3-horses";

    // Migration status reads its folder before it connects: an empty one lets it get that far.
    private static readonly DirectoryInfo EmptyFolder = Directory.CreateTempSubdirectory("premix_no_migrations_");

    /// <summary>Every public path that opens a connection, by name.</summary>
    public static IReadOnlyList<(string Name, Func<IPremix, Task> Run)> EntryPoints { get; } =
    [
        ("a read in a unit of work", async premix =>
        {
            await using var uow = premix.BeginUnitOfWork();
            await uow.Repository<Customer>().FindAsync(1L);
        }),
        ("a synchronous read", premix =>
        {
            using var uow = premix.BeginUnitOfWork();
            uow.Repository<Customer>().Find(1L);
            return Task.CompletedTask;
        }),
        ("a raw read", premix => premix.Raw("SELECT 1").ScalarAs<int>()),
        ("a commit", async premix =>
        {
            await using var uow = premix.BeginUnitOfWork();
            uow.Repository<Customer>().Add(new Customer { Name = "Ada" });
            await uow.CommitAsync();
        }),
        ("schema sync", premix => premix.SyncAsync()),
        ("migration status", premix => premix.MigrationStatusAsync(EmptyFolder.FullName)),
        ("scaffolding", premix => Scaffolder.ScaffoldAsync(premix.Provider, new ScaffoldOptions())),
    ];

    /// <summary>
    /// Runs every entry point on <paramref name="premix"/> and checks that each throws one
    /// <see cref="DatabaseConnectionException"/> of <paramref name="kind"/>, whose message holds every one of
    /// <paramref name="parts"/> and not the password (nor does anything it wraps), within <paramref name="bound"/>.
    /// </summary>
    public static IReadOnlyList<DatabaseConnectionException> AssertEveryEntryPointFails(IPremix premix, ConnectionFailureKind kind, TimeSpan bound, params string[] parts)
    {
        var failures = new List<DatabaseConnectionException>();
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, run) in EntryPoints)
            {
                var watch = Stopwatch.StartNew();
                var error = Assert.CatchAsync(() => run(premix), name);
                var elapsed = watch.Elapsed;
                Assert.That(error, Is.TypeOf<DatabaseConnectionException>(), $"{name}: {error}");
                if (error is not DatabaseConnectionException failure)
                {
                    continue;
                }

                failures.Add(failure);
                TestContext.Out.WriteLine($"{name} ({elapsed.TotalMilliseconds:0} ms): {failure.Message}");
                Assert.That(failure.Failure, Is.EqualTo(kind), $"{name}: {failure.Message}");
                foreach (var part in parts)
                {
                    Assert.That(failure.Message, Does.Contain(part), name);
                }

                Assert.That(failure.ToString(), Does.Not.Contain(Password), $"{name}: the password, anywhere in the exception or what it wraps");
                Assert.That(failure.InnerException, Is.Not.Null, $"{name}: the driver's exception is kept");
                Assert.That(elapsed, Is.LessThan(bound), $"{name} took {elapsed.TotalSeconds:0.0} s");
            }
        }

        return failures;
    }
}
