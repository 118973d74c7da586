// Premix benchmarks: Premix against hand-written Dapper (the baseline), ADO.NET and EF Core, reading (no-tracking) and writing (SaveChanges).
//   dotnet run -c Release --project Premix.Benchmarks -- --filter *             full run, for humans
//   dotnet run -c Release --project Premix.Benchmarks -- --filter * --job short  a quicker, rougher run
//   dotnet run -c Release --project Premix.Benchmarks -- --smoke                every benchmark once, tiny in-process job (CI)
// PostgreSQL runs when PREMIX_BENCH_POSTGRES holds a connection string to a database the benchmarks may create tables in.
// MariaDB runs when PREMIX_BENCH_MYSQL holds a MySqlConnector connection string to such a database.
// PREMIX_BENCH_ENGINES=PostgreSql,MySql (comma-separated engine names) narrows a run to those engines.
// PREMIX_BENCH_BULK_ROWS=10000 changes the rows of BulkInsertBenchmarks (100,000; 2000 in the smoke run).
//   dotnet run -c Release --project Premix.Benchmarks -- --bytes IncludeBenchmarks PostgreSql 500 2 Dapper AdoNet Premix
//     exact bytes a call of those methods, two rounds of 500 calls (BytesProbe), no BenchmarkDotNet run;
//     --bytes-sync: the same, each call made from one dedicated thread blocking on it, as BenchmarkDotNet calls
//   dotnet run -c Release --project Premix.Benchmarks -- --interleave IncludeBenchmarks PostgreSql 20 200 AdoNet Premix
//     CPU and wall ratios to the first method, blocks of 20 calls interleaved over 200 rounds (InterleavedProbe); write
//     workloads too (--interleave InsertBenchmarks MySql 3 16 HandTuned Premix Dapper): a class's [IterationSetup] and
//     [IterationCleanup] run around every call, outside the measured time
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Premix.Benchmarks.Configuration;
using Premix.Benchmarks.Data;
using Premix.Benchmarks.Workloads;

if (args.Length > 0 && args[0] == BytesProbe.Switch)
{
    return await BytesProbe.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == BytesProbe.SyncSwitch)
{
    return await BytesProbe.RunAsync(args[1..], sync: true);
}

if (args.Length > 0 && args[0] == InterleavedProbe.Switch)
{
    return await InterleavedProbe.RunAsync(args[1..]);
}

var smoke = args.Contains("--smoke", StringComparer.Ordinal);
var arguments = args.Where(a => a != "--smoke").ToList();
if (smoke && !arguments.Contains("--filter", StringComparer.Ordinal))
{
    arguments.AddRange(["--filter", "*"]);
}

if (smoke && Environment.GetEnvironmentVariable(WriteSql.BulkRowsVariable) is null)
{
    // 100,000 rows a call is minutes per contender (EF Core on MariaDB: half a minute a call), too long for a check.
    Environment.SetEnvironmentVariable(WriteSql.BulkRowsVariable, "2000");
}

if (BenchmarkDatabase.PostgreSqlConnectionString is null)
{
    Console.WriteLine($"PostgreSQL benchmarks skipped: {BenchmarkDatabase.PostgreSqlVariable} is not set. Set it to a connection string (Host=...;Database=...;Username=...) of a database the benchmarks may create tables in.");
}

if (BenchmarkDatabase.MySqlConnectionString is null)
{
    Console.WriteLine($"MariaDB benchmarks skipped: {BenchmarkDatabase.MySqlVariable} is not set. Set it to a MySqlConnector connection string (Server=...;Database=...;User ID=...;Password=...) of a database the benchmarks may create tables in.");
}

IConfig? config = smoke ? SmokeConfig.Create() : null;
var summaries = BenchmarkSwitcher.FromAssembly(typeof(GetByKeyBenchmarks).Assembly).Run([.. arguments], config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
