using System.Data.Common;
using Premix.Migrations;
using Premix.Providers;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Migrations.Versioned;

/// <summary>A provider without versioned-migration support is reported, not half-run.</summary>
public sealed class UnsupportedProviderTests
{
    [Test]
    public void MigrateAsync_on_a_provider_without_a_migration_dialect_throws_NotSupportedException_naming_it()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(new ProviderWithoutMigrations()).AllowEmptyModel());

        var error = Assert.ThrowsAsync<NotSupportedException>(() => premix.MigrateAsync("migrations"));

        Assert.That(error!.Message, Does.Contain("custom").And.Contain(nameof(ISchemaProvider)));
    }

    private sealed class ProviderWithoutMigrations : IDatabaseProvider
    {
        public string Name => "custom";

        public ISqlDialect Dialect { get; } = new SqliteDialect();

        public DbConnection CreateConnection() => throw new InvalidOperationException("Migrations must not connect.");
    }
}
