using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>How a patient feels: stored as the database enum type <c>pg_mood</c> (<see cref="PatientMap"/>).</summary>
public enum Mood
{
    Happy,
    VerySad,
    Calm,
}

/// <summary>An entity with a required and an optional property of a database enum type.</summary>
public sealed class Patient
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public Mood Mood { get; set; }

    public Mood? Previous { get; set; }
}

public sealed class PatientMap : ModelConfiguration<Patient>
{
    public const string Table = "pg_patients";

    public const string EnumType = "pg_mood";

    public override void Configure(EntityBuilder<Patient> e)
    {
        e.ToTable(Table);
        e.Property(p => p.Name).HasMaxLength(40);
        e.Property(p => p.Mood).StoredAsEnumType(EnumType);
        e.Property(p => p.Previous).StoredAsEnumType(EnumType);
    }
}
