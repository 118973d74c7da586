using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Premix.Repositories;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Resilience;

/// <summary>
/// Starting Premix builds no Polly retry pipeline (issue 19: building it JIT-compiled about 80 methods of Polly at every
/// start): an application that registers Premix, starts its host and runs its first reads has none until a retry.
/// </summary>
public sealed class RetryPipelineAtStartupTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task AddPremix_host_start_and_the_first_reads_build_no_retry_pipeline()
    {
        await using (var tables = await CreatePremixWithTablesAsync(new CustomerMap()))
        {
            await ExecuteAsync($"INSERT INTO {Q("customers")} ({Q("Name")}, {Q("Visits")}) VALUES (@name, @visits)", new { name = "Ada", visits = 3 });
        }

        var id = await ScalarAsync<long>($"SELECT {Q("Id")} FROM {Q("customers")}");
        var services = new ServiceCollection();
        services.AddPremix(p => p.UseProvider(Provider).AddModelConfiguration<CustomerMap>());
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None); // Premix's startup checks
        }

        Customer ada;
        long count;
        await using (var scope = provider.CreateAsyncScope())
        {
            ada = await scope.ServiceProvider.GetRequiredService<IRepository<Customer>>().GetAsync(id);
            count = await scope.ServiceProvider.GetRequiredService<IPremix>().Raw($"SELECT COUNT(*) FROM {I("customers")}").ScalarAs<long>();
        }

        var retries = ((PremixDatabase)provider.GetRequiredService<IPremix>()).Executor.Retries;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((ada.Name, ada.Visits, count), Is.EqualTo(("Ada", 3, 1L)));
            Assert.That((retries.RetriesReads, retries.RetriesCommits), Is.EqualTo((true, true)), "retries are on, so a pipeline could have been built");
            Assert.That(retries.PipelineBuilt, Is.False);
        }
    }
}
