namespace Premix.Analyzers.Querying;

/// <summary>
/// A method a <c>Where</c> lambda may call on a column (or with a column as its argument) that Premix's translator turns
/// into SQL. (A class, not a record: netstandard2.0 has no init accessors.)
/// </summary>
internal sealed class TranslatableMethod(string name, string? containingType, string method, bool isStatic, int parameterCount, string? parameterType = null, bool columnIsReceiver = true)
{
    /// <summary>The entry's name, as the test that proves the translator translates it calls it.</summary>
    public string Name { get; } = name;

    /// <summary>The metadata name of the declaring type, or null for any collection (an instance <c>Contains</c>).</summary>
    public string? ContainingType { get; } = containingType;

    /// <summary>The method's name.</summary>
    public string Method { get; } = method;

    /// <summary>Whether it is a static (extension) method.</summary>
    public bool IsStatic { get; } = isStatic;

    /// <summary>Its number of parameters.</summary>
    public int ParameterCount { get; } = parameterCount;

    /// <summary>The metadata name every parameter must have, or null for any.</summary>
    public string? ParameterType { get; } = parameterType;

    /// <summary>
    /// Whether the column must be the receiver (<c>x.Name.StartsWith(value)</c>, <c>x.Period.Contains(value)</c>) and the
    /// argument a value; otherwise either side may be the column and the other the value (<c>ids.Contains(x.Id)</c> is
    /// <c>IN</c>, <c>x.Tags.Contains(tag)</c> an array test). Never both, never neither.
    /// </summary>
    public bool ColumnIsReceiver { get; } = columnIsReceiver;
}
