// Cold start: process launch to the first query result, with the 100-entity model of Model/ (generate.py).
//   Premix.Benchmarks.ColdStart setup DB         creates the SQLite database DB (100 tables, one row each)
//   Premix.Benchmarks.ColdStart CONTENDER DB     starts CONTENDER and prints row 1 of entity050, every column
//   Premix.Benchmarks.ColdStart CONTENDER DB --assemblies   then the simple names of the assemblies loaded, one a line
//                                                (ColdStartAssembliesTests: what a start loads; the timed runs never pass it)
// CONTENDER: premix, premix-generated (Premix on its generated model, Model/Generated), ef (EF Core, model built at run time), ef-compiled (EF Core, compiled model), dapper, ado.
// build/cold-start.sh times each as a whole process and checks the row it prints.
using Premix.ColdStart;

Phases.Mark("main");
if (args.Length is not (2 or 3) || args.Length == 3 && args[2] != "--assemblies")
{
    Console.Error.WriteLine("usage: Premix.Benchmarks.ColdStart setup|premix|premix-generated|ef|ef-compiled|dapper|ado <sqlite-file> [--assemblies]");
    return 2;
}

var connectionString = $"Data Source={args[1]}";
var name = args[0] switch
{
    "setup" => await Contenders.SetUpAsync(connectionString),
    "premix" => await Contenders.PremixAsync(connectionString),
    "premix-generated" => await Contenders.PremixGeneratedAsync(connectionString),
    "ef" => await Contenders.EfCoreAsync(connectionString),
    "ef-compiled" => await Contenders.EfCoreCompiledAsync(connectionString),
    "dapper" => await Contenders.DapperAsync(connectionString),
    "ado" => await Contenders.AdoNetAsync(connectionString),
    _ => null,
};
if (name is null)
{
    Console.Error.WriteLine($"Unknown contender '{args[0]}': use setup, premix, premix-generated, ef, ef-compiled, dapper or ado.");
    return 2;
}

Phases.Mark("result");
Console.WriteLine(name);
Phases.Write();
if (args.Length == 3)
{
    foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
    {
        Console.WriteLine(assembly.GetName().Name);
    }
}

return 0;
