namespace Premix.Migrations;

/// <summary>What changing a column from one type to another does to the values it holds (<see cref="SchemaDialect.CompareTypes"/>).</summary>
public enum TypeChange
{
    /// <summary>The same type, however it is spelled: nothing to change.</summary>
    Same,

    /// <summary>A wider type that holds every value of the old one: applied by a sync without asking.</summary>
    Widening,

    /// <summary>A narrower or different type that may not hold every existing value: a sync refuses it unless allowed.</summary>
    MayLoseValues,
}
