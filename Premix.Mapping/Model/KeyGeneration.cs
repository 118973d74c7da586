namespace Premix.Mapping;

/// <summary>Who gives a new entity its key.</summary>
public enum KeyGeneration
{
    /// <summary>The database generates it on insert (identity, auto-increment).</summary>
    Generated,

    /// <summary>The application sets it before insert.</summary>
    ClientAssigned,
}
