using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Premix.Querying;

/// <summary>
/// Reads a query value that is a lazy sequence (an iterator, a LINQ chain, a one-pass reader) into an array, once, as the
/// value is taken. A query looks at a list's elements more than once (whether one is null changes the SQL, then the IN
/// list, then the parameters): a sequence read again could give other elements, or none, and the SQL would silently not
/// match the list the caller passed.
/// </summary>
internal static class SequenceValues
{
    // Per value type: null when the value holds its elements (string, arrays, collections), else the element type.
    private static readonly ConcurrentDictionary<Type, Type?> LazyElementTypes = new();

    /// <summary>
    /// <paramref name="value"/>, or the array of its elements when it is a lazy sequence. <paramref name="list"/> says whether
    /// the value is the sequence a <c>Contains</c> searches (an IN list, whose elements are bound one by one) rather than a
    /// value compared or assigned whole.
    /// </summary>
    public static object? ReadOnce(object? value, bool list)
    {
        if (value is not IEnumerable sequence || value is string or ICollection)
        {
            return value;
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // Native AOT keeps no list of a type's interfaces, nor makes an array of an element type found at run time: a
            // list's sequence is read, once, into an array of objects (a set only loses its own type; the elements are bound
            // one by one, by their own types). A value compared or assigned whole (a HashSet<T> column's value) is kept as it
            // is: the column's conversion reads it by its own type, which an array of objects is not.
            return list ? ReadAsObjects(sequence) : value;
        }

        if (LazyElementTypes.GetOrAdd(value.GetType(), LazyElementType) is not { } element)
        {
            return value;
        }

        var elements = new List<object?>();
        foreach (var item in sequence)
        {
            elements.Add(item);
        }

        var array = Array.CreateInstance(element, elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            array.SetValue(elements[i], i);
        }

        return array;
    }

    private static object?[] ReadAsObjects(IEnumerable sequence)
    {
        var elements = new List<object?>();
        foreach (var item in sequence)
        {
            elements.Add(item);
        }

        return [.. elements];
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070:UnrecognizedReflectionPattern", Justification = "An interface trimming removed is not found, and either way the value is read into an array of the same elements in the same order: a removed ICollection<T>/IReadOnlyCollection<T> makes a collection be copied into an array of its element type, a removed IEnumerable<T> makes the array an object[] (the form every sequence takes with dynamic code off), its elements bound by their own types.")]
    private static Type? LazyElementType(Type type)
    {
        Type? element = null;
        foreach (var contract in type.GetInterfaces())
        {
            if (!contract.IsGenericType)
            {
                continue;
            }

            var definition = contract.GetGenericTypeDefinition();
            if (definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                return null;
            }

            if (definition == typeof(IEnumerable<>))
            {
                element = contract.GetGenericArguments()[0];
            }
        }

        return element ?? typeof(object);
    }
}
