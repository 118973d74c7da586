namespace Premix.Generation;

/// <summary>Names the generated code: its namespace and the class that holds the model.</summary>
public sealed class ModelGeneratorOptions
{
    /// <summary>The namespace of every generated type.</summary>
    public string Namespace { get; init; } = "PremixGenerated";

    /// <summary>The class whose <c>Instance</c> is the model to pass to <c>UseGeneratedModel</c>.</summary>
    public string ModelClass { get; init; } = "PremixModel";
}
