using System.Reflection;
using Premix.Analyzers;
using Premix.Mapping;

namespace Premix.Tests.Analyzers;

/// <summary>
/// Keeps the analyzers' column types (<see cref="ColumnTypes"/>) equal to Premix.Mapping's, which decide at startup what
/// a property may be: a type added to the mapping and not to the analyzers (or the reverse) fails here.
/// </summary>
public sealed class ColumnTypesTests
{
    [Test]
    public void The_analyzers_column_types_are_the_mappings_scalar_types()
    {
        var analyzers = ColumnTypes.ScalarTypes.Select(name => Type.GetType(name, throwOnError: true)!).Append(typeof(byte[]));

        Assert.That(analyzers, Is.EquivalentTo(Mapping<HashSet<Type>>(typeof(ScalarTypes), "Supported")));
    }

    [Test]
    public void The_analyzers_array_element_types_are_the_mappings()
    {
        var analyzers = ColumnTypes.ArrayElementTypes.Select(name => Type.GetType(name, throwOnError: true)!);

        Assert.That(analyzers, Is.EquivalentTo(Mapping<HashSet<Type>>(typeof(ArrayTypes), "Elements")));
    }

    // Premix.Mapping keeps its lists private: read them as they are, not a copy.
    private static T Mapping<T>(Type owner, string field) =>
        (T)owner.GetField(field, BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
}
