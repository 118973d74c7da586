using System.CommandLine;
using System.CommandLine.Parsing;
using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Premix.Cli.Output;
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
    private const string AssemblyOption = "--assembly";
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
    public Option<FileInfo?> Assembly { get; } = new(AssemblyOption, "-a")
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

    /// <summary>The <c>--assembly</c> given to the command <paramref name="parseResult"/> runs, if it takes one and it was given.</summary>
    public static FileInfo? AssemblyOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);

        // Not given (as with --help): GetValue of a required option would throw.
        return parseResult.CommandResult.Command.Options.OfType<Option<FileInfo?>>().FirstOrDefault(o => o.Name == AssemblyOption) is { } option
            && parseResult.GetResult(option) is { Tokens.Count: > 0 }
            ? parseResult.GetValue(option)
            : null;
    }

    /// <summary>
    /// Starts Premix on the chosen database with the application's model (when the command uses one): the model is
    /// validated and every plan compiled, but no connection is opened. The application's own configuration (its
    /// <see cref="IPremixDesignTimeFactory"/> or its host's <c>AddPremix</c>) gives what the options do not.
    /// </summary>
    /// <exception cref="MappingException">The application's mapping is invalid.</exception>
    /// <exception cref="FileNotFoundException">The assembly does not exist.</exception>
    /// <exception cref="CommandException">The assembly, or one it needs, cannot be loaded.</exception>
    public IPremix Open(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var choice = new DatabaseChoice(ProviderName(parseResult.GetValue(Provider)), ConnectionString(parseResult.GetValue(Connection)));
        var naming = parseResult.GetValue(Naming) is { } name ? (name == SnakeCase ? NamingConvention.SnakeCase : NamingConvention.AsWritten) : null;
        if (!_usesModel)
        {
            return PremixFactory.Create(options => Use(options.AllowEmptyModel(), choice.Provider!, SqliteFile(choice.Provider!, choice.Connection!, parseResult))); // the validator ensured both
        }

        var file = parseResult.GetValue(Assembly)!;
        var model = ModelLoadContext.LoadModel(file);
        try
        {
            // A generated model the application registers (stale, perhaps, which is why premix optimize runs) is left out at
            // design time (PremixDesignTime), in the application's own start as in the tool's: the tool works from the mapping.
            var application = ApplicationConfiguration.Find(model);
            if (application.HostFailure is { } failure)
            {
                // The options name the database: go on as without a host (its mapping classes, the options' naming).
                _ = Require(choice, application.Source, failure);
                parseResult.InvocationConfiguration.Error.WriteLine($"warning: {failure.Message.ReplaceLineEndings(" ")}");
                parseResult.InvocationConfiguration.Error.WriteLine($"warning: premix goes on with the options given and the ModelConfiguration classes of {model.GetName().Name}.");
            }

            var configure = application.Configure ?? (options => options.AddModelConfigurationsFrom(model));
            choice = application.Configure is null ? Require(choice, application.Source) : Complete(choice, application);
            return PremixFactory.Create(options =>
            {
                configure(options);
                if (choice.Connection is not null)
                {
                    Use(options, choice.Provider!, SqliteFile(choice.Provider!, choice.Connection, parseResult));
                }

                if (naming is not null)
                {
                    options.UseNamingConvention(naming);
                }
            });
        }
        catch (Exception exception) when (ApplicationLoadFailure.Explain(exception, file, model) is { } explained)
        {
            throw explained;
        }
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

    private static PremixOptionsBuilder Use(PremixOptionsBuilder options, string provider, string connection) => provider switch
    {
        Sqlite => options.UseSqlite(connection),
        PostgreSql => options.UsePostgreSql(connection),
        _ => options.UseMySql(connection),
    };

    // Without the application's configuration, the options (or the environment) name the database; plans need only the engine.
    private DatabaseChoice Require(DatabaseChoice choice, string why, Exception? failure = null)
    {
        var missing = new List<string>();
        if (choice.Provider is null)
        {
            missing.Add($"No provider: pass --provider sqlite|postgresql|mysql or set {ProviderVariable}.");
        }

        if (_needsConnection && choice.Connection is null)
        {
            missing.Add($"No connection string: pass --connection or set {ConnectionVariable}.");
        }

        if (missing.Count > 0)
        {
            throw failure ?? new InvalidOperationException(
                $"{string.Join(" ", missing)} The application does not configure them either: {why}. Add an IPremixDesignTimeFactory class or AddPremix in its host (docs/cli.md).");
        }

        return choice with { Connection = choice.Connection ?? PlaceholderConnection(choice.Provider!) };
    }

    // The application's configuration names the database; the options override it. When only one of provider and
    // connection is given, the other comes from the application, which means building its configuration once to read them.
    private DatabaseChoice Complete(DatabaseChoice choice, ApplicationConfiguration application)
    {
        if (choice.Provider is not null && choice.Connection is not null)
        {
            return choice;
        }

        using var configured = PremixFactory.Create(application.Configure!);
        var provider = configured.Provider.Name;
        if (choice.Provider is not null && choice.Provider != provider)
        {
            throw new InvalidOperationException(
                $"--provider {choice.Provider} is not the engine of {application.Source} ({provider}); pass --connection with the {choice.Provider} database's connection string as well.");
        }

        if (choice.Connection is not null && !Providers.Contains(provider))
        {
            throw new InvalidOperationException($"{application.Source} uses the {provider} provider, which premix does not know; pass --provider as well as --connection.");
        }

        // A SQLite file the application names is opened as one given with --connection: never created by mistake.
        var connection = choice.Connection ?? (provider == Sqlite && _needsConnection ? configured.Provider.CreateConnection().ConnectionString : null);
        return new DatabaseChoice(provider, connection);
    }

    private string SqliteFile(string provider, string connection, ParseResult parseResult) =>
        provider == Sqlite && _needsConnection && !parseResult.GetValue(Create) ? WithoutCreating(connection) : connection;

    // A command that loads the application may leave the database to its configuration: that is checked once it is loaded.
    private void Validate(CommandResult result)
    {
        if (_needsConnection && !_usesModel && ConnectionString(result.GetValue(Connection)) is null)
        {
            result.AddError($"No connection string: pass --connection or set {ConnectionVariable}.");
        }

        var provider = ProviderName(result.GetValue(Provider));
        if (_needsConnection && result.GetValue(Create) && provider is not null && provider != Sqlite)
        {
            result.AddError($"--create makes a new SQLite file; a {provider} database is created on its server (CREATE DATABASE).");
        }

        if (provider is null && !_usesModel)
        {
            result.AddError($"No provider: pass --provider sqlite|postgresql|mysql or set {ProviderVariable}.");
        }
        else if (provider is not null && !Providers.Contains(provider))
        {
            result.AddError($"{ProviderVariable} is '{provider}'; set it to sqlite, postgresql or mysql.");
        }
    }

    /// <summary>The engine and connection string chosen so far; <see langword="null"/> where nothing names them yet.</summary>
    private sealed record DatabaseChoice(string? Provider, string? Connection);
}
