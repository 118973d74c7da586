namespace Premix;

/// <summary>
/// Tells the <c>premix</c> tool how the application configures Premix (provider, connection string, naming convention,
/// mapping classes) when the tool should not, or cannot, build the application's host to find its <c>AddPremix</c> call.
/// </summary>
/// <remarks>
/// The tool looks for one public class implementing this interface, with a public parameterless constructor, in the
/// assembly given with <c>--assembly</c>, and prefers it to the application's host (as <c>dotnet ef</c> prefers an
/// <c>IDesignTimeDbContextFactory</c>). Options given on the command line still override what it configures. See docs/cli.md.
/// <code>
/// public sealed class DesignTimePremix : IPremixDesignTimeFactory
/// {
///     public void Configure(PremixOptionsBuilder options) =&gt; options
///         .UsePostgreSql(Environment.GetEnvironmentVariable("SHOP_DB") ?? "Host=localhost;Database=shop")
///         .UseNamingConvention(NamingConvention.SnakeCase)
///         .AddModelConfigurationsFrom(typeof(DesignTimePremix).Assembly);
/// }
/// </code>
/// </remarks>
public interface IPremixDesignTimeFactory
{
    /// <summary>Configures Premix as the application does at run time; called once per command, and it should open no connection.</summary>
    /// <param name="options">The options to configure, as in <c>AddPremix(options =&gt; ...)</c>.</param>
    void Configure(PremixOptionsBuilder options);
}
