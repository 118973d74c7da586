using System.Diagnostics.CodeAnalysis;

namespace Premix.Mapping;

/// <summary>
/// An enum type of the database that an enum property is stored as (<c>StoredAsEnumType("mood")</c>): its name and its
/// labels, one per member in the order of their values, each the member's name in snake_case (<c>VeryHappy</c> gives
/// <c>very_happy</c>, as Npgsql's default name translator) unless <see cref="EnumLabelAttribute"/> names it. Immutable; shared by the properties that use it.
/// </summary>
public sealed class DatabaseEnum
{
    private readonly Dictionary<object, string> _labels = [];
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    // The enum comes from a property's type, which carries no annotation; but trimming keeps every field of an enum it
    // keeps (ILLink marks all the fields of a value type, and of an enum the static ones too) and the custom attributes of
    // the members it keeps, so the fields and EnumLabel attributes read here are all there. Native AOT refuses database
    // enum types at startup.
    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = "Trimming keeps all the fields of a kept enum and their attributes; see the comment above.")]
    internal DatabaseEnum(string name, Type clrType)
    {
        Name = name;
        ClrType = clrType;
        var labels = new List<string>();
        // The numbers boxed back as the enum (an array of the enum type itself would be made at run time).
        foreach (var number in Enum.GetValuesAsUnderlyingType(clrType))
        {
            var value = Enum.ToObject(clrType, number);
            var member = Enum.GetName(clrType, value)!;
            var label = clrType.GetField(member)!.GetCustomAttributes(typeof(EnumLabelAttribute), inherit: false) is [EnumLabelAttribute declared]
                ? declared.Label
                : NamingConvention.SnakeCase.Convert(member);
            if (_labels.TryAdd(value, label))
            {
                labels.Add(label);
                _values[label] = value;
            }
        }

        Labels = labels;
    }

    /// <summary>The type's name in the database, as declared.</summary>
    public string Name { get; }

    /// <summary>The CLR enum whose members are the labels.</summary>
    public Type ClrType { get; }

    /// <summary>The labels, in the order of the members' values (the order PostgreSQL sorts them in).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The label of <paramref name="value"/>, a member of <see cref="ClrType"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is no member (<c>(Mood)42</c>): the type has no label for it.</exception>
    public string Label(object value) => _labels.TryGetValue(value, out var label) ? label : throw new ArgumentException(
        $"{ClrType.Name} value {value} is no member of the enum, so the database enum type {Name} has no label for it. Store one of {string.Join(", ", Enum.GetNames(ClrType))}, or map the property StoredAsNumber() to keep any value.",
        nameof(value));

    /// <summary>The member whose label is <paramref name="label"/>.</summary>
    /// <exception cref="InvalidOperationException">The database holds a label no member has (added to the type by someone else).</exception>
    public object Value(string label) => _values.TryGetValue(label, out var value) ? value : throw new InvalidOperationException(
        $"The database enum type {Name} holds the label '{label}', which no member of {ClrType.Name} has (members read as {string.Join(", ", Labels)}). Add a member named after it to {ClrType.Name}.");

    /// <summary>Reads a label as <typeparamref name="T"/> (compiled row readers call it).</summary>
    public T Read<T>(string label) where T : struct, Enum => (T)Value(label);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({string.Join(", ", Labels)})";
}
