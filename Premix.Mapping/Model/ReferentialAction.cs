namespace Premix.Mapping;

/// <summary>What the database does to dependent rows when their principal row is deleted.</summary>
public enum ReferentialAction
{
    /// <summary>The delete fails while dependent rows exist (the default: nothing disappears by surprise).</summary>
    NoAction,

    /// <summary>The dependent rows are deleted too.</summary>
    Cascade,

    /// <summary>The dependent rows' foreign key is set to <c>NULL</c> (the foreign key must be optional).</summary>
    SetNull,
}
