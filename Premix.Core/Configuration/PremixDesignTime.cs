namespace Premix;

/// <summary>
/// Whether Premix runs inside a design-time tool (the <c>premix</c> command line building the application's host to read
/// its configuration), set with the <see cref="AppContext"/> switch <c>Premix.DesignTime</c>.
/// </summary>
internal static class PremixDesignTime
{
    /// <summary>The <see cref="AppContext"/> switch the tool sets; an application may read it to skip work at design time.</summary>
    public const string Switch = "Premix.DesignTime";

    /// <summary>
    /// Whether the switch is on. Startup checks (<c>VerifySchemaAtStartup</c>) are then skipped: the tool builds the host to
    /// read the configuration, not to run the application, and the database may be the very thing it is about to change.
    /// A generated model (<c>UseGeneratedModel</c>) is neither checked nor used: the tool works from the mapping, and
    /// <c>premix optimize</c> runs precisely when that model is stale.
    /// </summary>
    public static bool IsActive => AppContext.TryGetSwitch(Switch, out var active) && active;
}
