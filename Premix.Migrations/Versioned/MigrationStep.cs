namespace Premix.Migrations;

/// <summary>Where one migration of a run stands.</summary>
public enum MigrationStep
{
    /// <summary>Its SQL is about to run.</summary>
    Starting,

    /// <summary>Its SQL ran and the history table records it (or, going down, no longer does).</summary>
    Completed,

    /// <summary>Its SQL failed; the run stops with a <see cref="MigrationException"/>.</summary>
    Failed,
}
