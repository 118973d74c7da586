namespace Premix.Mapping;

/// <summary>How an enum property is stored.</summary>
public enum EnumStorage
{
    /// <summary>As its underlying integer.</summary>
    Number,

    /// <summary>As the member's name.</summary>
    Text,
}
