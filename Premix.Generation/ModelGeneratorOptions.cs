namespace Premix.Generation;

/// <summary>Names the generated code: its namespace and the class that holds the model.</summary>
public sealed class ModelGeneratorOptions
{
    /// <summary>The namespace of every generated type.</summary>
    public string Namespace { get; init; } = "PremixGenerated";

    /// <summary>
    /// The class whose <c>Instance</c> is the model to pass to <c>UseGeneratedModel</c>; not <c>Instance</c> or
    /// <c>PropertyTypes</c>, the names of its members.
    /// </summary>
    public string ModelClass { get; init; } = "PremixModel";
}
