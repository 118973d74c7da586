using Premix.Tests.Infrastructure;

namespace Premix.Tests.Types;

/// <summary>
/// One row of the round-trip table in docs/types.md: values of one property of <see cref="TypeSample"/>, and what each
/// engine does with them. <c>TypeRoundTripTests</c> writes and reads every value on every engine and checks the outcome.
/// </summary>
/// <param name="Type">The type and mapping, as the table's first column shows it.</param>
/// <param name="Shown">The values, as the table's second column shows them.</param>
/// <param name="Property">The property of <see cref="TypeSample"/> written.</param>
/// <param name="Values">The values written, one row each.</param>
public sealed record RoundTripCase(string Type, string Shown, string Property, object?[] Values, RoundTripOutcome Sqlite, RoundTripOutcome PostgreSql, RoundTripOutcome MySql)
{
    /// <summary>A case with the same outcome on every engine.</summary>
    public RoundTripCase(string type, string shown, string property, object?[] values, RoundTripOutcome everywhere)
        : this(type, shown, property, values, everywhere, everywhere, everywhere)
    {
    }

    public RoundTripOutcome On(Engine engine) => engine switch
    {
        Engine.Sqlite => Sqlite,
        Engine.PostgreSql => PostgreSql,
        _ => MySql,
    };

    public override string ToString() => $"{Type}: {Shown}";
}
