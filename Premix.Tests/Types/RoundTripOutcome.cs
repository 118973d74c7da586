namespace Premix.Tests.Types;

/// <summary>What an engine does with a value: keeps it, gives back another one (as documented), or refuses it.</summary>
/// <param name="Cell">The table's cell.</param>
/// <param name="ReadBack">For a value kept or changed: what is read back, given what was written.</param>
/// <param name="Refusal">For a value refused: the exception the commit throws.</param>
/// <param name="SqlText">For PostgreSQL: the text of the stored value (<c>CAST(column AS text)</c>), where it is worth saying.</param>
public sealed record RoundTripOutcome(string Cell, Func<object?, object?>? ReadBack, Type? Refusal, string? SqlText = null)
{
    /// <summary>Read back exactly as written.</summary>
    public static RoundTripOutcome Kept { get; } = new("kept", value => value, null);

    /// <summary>Refused before any SQL is sent, with every other failure of the commit.</summary>
    public static RoundTripOutcome Refused { get; } = new("refused before SQL: `ValidationException`", null, typeof(ValidationException));

    /// <summary>Kept, and stored as <paramref name="sqlText"/> (what plain SQL shows on PostgreSQL).</summary>
    public static RoundTripOutcome KeptAs(string sqlText) => new($"kept (stored as `{sqlText}`)", value => value, null, sqlText);

    /// <summary>Read back as another value, as documented.</summary>
    public static RoundTripOutcome Reads(string cell, Func<object?, object?> readBack) => new(cell, readBack, null);

    /// <summary>Refused by the server: the commit fails with a <see cref="DatabaseCommandException"/> and writes nothing.</summary>
    public static RoundTripOutcome RefusedByServer(string error) => new($"refused by the server: `DatabaseCommandException` ({error})", null, typeof(DatabaseCommandException));
}
