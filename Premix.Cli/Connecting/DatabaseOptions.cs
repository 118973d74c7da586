using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Premix.Mapping;

namespace Premix.Cli.Connecting;

/// <summary>
/// The options that say which database a command works on (<c>--connection</c>, <c>--provider</c>, or the
/// <c>PREMIX_CONNECTION</c> and <c>PREMIX_PROVIDER</c> environment variables, and <c>--create</c> for a new SQLite file)
/// and, where a command needs the application's model, which assembly holds it (<c>--assembly</c>, <c>--naming</c>).
/// </summary>
internal sealed class DatabaseOptions
{
    /// <summary>The environment variable read when <c>--connection</c> is not given.</summary>
    public const string ConnectionVariable = "PREMIX_CONNECTION";

    /// <summary>The environment variable read when <c>--provider</c> is not given.</summary>
    public const string ProviderVariable = "PREMIX_PROVIDER";

    private const string Sqlite = "sqlite";
    private const string PostgreSql = "postgresql";
    private const string MySql = "mysql";
    private const string AsWritten = "as-written";
    private const string SnakeCase = "snake-case";
    private static readonly string[] Providers = [Sqlite, PostgreSql, MySql];

    private readonly bool _needsConnection;
    private readonly bool _usesModel;

    private DatabaseOptions(bool needsConnection, bool usesModel)
    {
        _needsConnection = needsConnection;
        _usesModel = usesModel;
        Provider.AcceptOnlyFromAmong(Providers);
        Naming.AcceptOnlyFromAmong(AsWritten, SnakeCase);
        Assembly.Required = usesModel;
    }

    /// <summary>The connection string.</summary>
    public Option<string?> Connection { get; } = new("--connection", "-c")
    {
        Description = $"The connection string of the database ({ConnectionVariable} when omitted).",
    };

    /// <summary>The provider: sqlite, postgresql or mysql.</summary>
    public Option<string?> Provider { get; } = new("--provider", "-p")
    {
        Description = $"The database engine: sqlite, postgresql or mysql (MySQL and MariaDB) ({ProviderVariable} when omitted).",
    };

    /// <summary>Whether a SQLite database file that does not exist may be created (otherwise a missing file is an error).</summary>
    public Option<bool> Create { get; } = new("--create")
    {
        Description = "SQLite: create the database file if it does not exist. Without it a missing file is an error, so a mistyped path creates nothing.",
    };

    /// <summary>The application's built assembly, holding its <c>ModelConfiguration</c> classes.</summary>
    public Option<FileInfo?> Assembly { get; } = new("--assembly", "-a")
    {
        Description = "The application's built .dll holding its ModelConfiguration classes (for example bin/Debug/net10.0/MyApp.dll).",
    };

    /// <summary>The naming convention the application configures.</summary>
    public Option<string?> Naming { get; } = new("--naming")
    {
        Description = "The naming convention the application uses: as-written (default) or snake-case.",
    };

    /// <summary>For commands that work on a database without the model (migrate up, down, status, repair).</summary>
    public static DatabaseOptions Database(Command command) => AddTo(command, new DatabaseOptions(needsConnection: true, usesModel: false));

    /// <summary>For commands that compare the model with a database (diff, sync, migrate generate).</summary>
    public static DatabaseOptions DatabaseAndModel(Command command) => AddTo(command, new DatabaseOptions(needsConnection: true, usesModel: true));

    /// <summary>For commands that need the model and the engine's dialect but no database (plans): the connection is optional.</summary>
    public static DatabaseOptions ModelOnly(Command command) => AddTo(command, new DatabaseOptions(needsConnection: false, usesModel: true));

    /// <summary>
    /// Starts Premix on the chosen database with the application's model (when the command uses one): the model is
    /// validated and every plan compiled, but no connection is opened.
    /// </summary>
    /// <exception cref="MappingException">The application's mapping is invalid.</exception>
    /// <exception cref="FileNotFoundException">The assembly does not exist.</exception>
    public IPremix Open(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var provider = ProviderName(parseResult.GetValue(Provider))!; // the validator ensured it
        var connection = ConnectionString(parseResult.GetValue(Connection)) ?? PlaceholderConnection(provider);
        if (provider == Sqlite && _needsConnection && !parseResult.GetValue(Create))
        {
            connection = WithoutCreating(connection);
        }

        var model = _usesModel ? ModelLoadContext.LoadModel(parseResult.GetValue(Assembly)!) : null;
        var naming = parseResult.GetValue(Naming);
        return PremixFactory.Create(options =>
        {
            _ = provider switch
            {
                Sqlite => options.UseSqlite(connection),
                PostgreSql => options.UsePostgreSql(connection),
                _ => options.UseMySql(connection),
            };
            if (model is not null)
            {
                AddModel(options, model);
            }
            else
            {
                options.AllowEmptyModel(); // migrate and scaffold work on the database alone
            }

            if (naming is not null)
            {
                options.UseNamingConvention(naming == SnakeCase ? NamingConvention.SnakeCase : NamingConvention.AsWritten);
            }
        });
    }

    private static DatabaseOptions AddTo(Command command, DatabaseOptions options)
    {
        command.Options.Add(options.Connection);
        command.Options.Add(options.Provider);
        if (options._needsConnection)
        {
            command.Options.Add(options.Create);
        }

        if (options._usesModel)
        {
            command.Options.Add(options.Assembly);
            command.Options.Add(options.Naming);
        }

        command.Validators.Add(options.Validate);
        return options;
    }

    // SQLite creates a missing file by default, so a mistyped path would become a new, empty database (and migrations or
    // a sync would fill it). The tool opens an existing file only (Mode=ReadWrite), unless --create is given or the
    // connection string chooses its Mode itself; an in-memory or temporary database has no file to mistype.
    private static string WithoutCreating(string connectionString)
    {
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (named.ContainsKey("Mode") || sqlite.DataSource is "" or ":memory:")
        {
            return connectionString;
        }

        sqlite.Mode = SqliteOpenMode.ReadWrite;
        return sqlite.ToString();
    }

    private static string? ConnectionString(string? option) =>
        string.IsNullOrWhiteSpace(option) ? Variable(ConnectionVariable) : option;

    private static string? ProviderName(string? option) =>
        string.IsNullOrWhiteSpace(option) ? Variable(ProviderVariable)?.ToLowerInvariant() : option;

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    // Plans are compiled from the model and the dialect alone; the providers open no connection until asked to.
    private static string PlaceholderConnection(string provider) => provider switch
    {
        Sqlite => "Data Source=:memory:",
        PostgreSql => "Host=localhost",
        _ => "Server=localhost",
    };

    private static void AddModel(PremixOptionsBuilder options, Assembly model)
    {
        try
        {
            options.AddModelConfigurationsFrom(model);
        }
        catch (ReflectionTypeLoadException exception)
        {
            var first = exception.LoaderExceptions.FirstOrDefault(e => e is not null);
            throw new InvalidOperationException(
                $"The types of '{model.Location}' cannot be loaded: {first?.Message ?? exception.Message} Pass the .dll from the application's build output folder, next to its dependencies, built against the same Premix version as this tool.",
                first);
        }
    }

    private void Validate(CommandResult result)
    {
        if (_needsConnection && ConnectionString(result.GetValue(Connection)) is null)
        {
            result.AddError($"No connection string: pass --connection or set {ConnectionVariable}.");
        }

        var provider = ProviderName(result.GetValue(Provider));
        if (_needsConnection && result.GetValue(Create) && provider is not null && provider != Sqlite)
        {
            result.AddError($"--create makes a new SQLite file; a {provider} database is created on its server (CREATE DATABASE).");
        }

        if (provider is null)
        {
            result.AddError($"No provider: pass --provider sqlite|postgresql|mysql or set {ProviderVariable}.");
        }
        else if (!Providers.Contains(provider))
        {
            result.AddError($"{ProviderVariable} is '{provider}'; set it to sqlite, postgresql or mysql.");
        }
    }
}
