namespace Premix.Plans;

/// <summary>
/// The code of one named query filter of a <see cref="GeneratedEntity"/>, as <c>premix optimize</c> wrote it: a reader per
/// value its predicate captures (a constant, a static member read on every query, a readonly number field), printed as C#,
/// which the filter's queries call instead of compiling the value's expression. The first use checks the code's filters
/// against the description by name and number of values only, not the readers' C#: as for accessors, an edit of a reader
/// in the code (not the description) is not detected.
/// </summary>
public sealed class GeneratedFilterCode
{
    /// <summary>Creates the code of the filter <paramref name="name"/>.</summary>
    /// <param name="name">The filter's name, as the description has it: the code is matched to it by position, and the first use checks the name.</param>
    /// <param name="values">The readers of its values, in the order of its description.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public GeneratedFilterCode(string name, IReadOnlyList<Func<object?>> values)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Values = values ?? throw new ArgumentNullException(nameof(values));
    }

    /// <summary>The filter's name.</summary>
    public string Name { get; }

    /// <summary>Each value's reader, boxed, in the order of the description's values.</summary>
    public IReadOnlyList<Func<object?>> Values { get; }
}
