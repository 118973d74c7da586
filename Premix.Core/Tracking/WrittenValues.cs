using System.Globalization;
using Premix.Plans;

namespace Premix.Tracking;

/// <summary>The values a write gives back to its entity, through the undo log: the key the database answered with, the next version.</summary>
internal static class WrittenValues
{
    /// <summary>Sets the entity's key (of one column) to <paramref name="stored"/>, a value of its column as the driver read it.</summary>
    public static void SetKey(EntityPlan plan, object entity, object stored, UndoLog undo)
    {
        var binding = plan.KeyParameters[0];
        var type = binding.Property.StoredType;
        var value = type.IsInstanceOfType(stored) ? stored
            : type == typeof(Guid) && stored is string text ? Guid.Parse(text, CultureInfo.InvariantCulture)
            : Convert.ChangeType(stored, type, CultureInfo.InvariantCulture);
        undo.Set(plan.SetKey!, entity, plan.GeneratedKeyOf(entity), binding.FromStored(value));
    }

    /// <summary>The version after <paramref name="version"/> (an <see cref="int"/> or a <see cref="long"/>), as the database increments it.</summary>
    public static object NextVersion(object version) => version is long l ? l + 1 : (object)((int)version + 1);
}
