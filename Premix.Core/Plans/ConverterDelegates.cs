using System.Runtime.CompilerServices;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// A converter's two boxed conversions, each compiled on its first use and shared by every binding of that converter, in
/// every model (a converter is immutable; the <see cref="Uri"/> convention's is one for the whole process).
/// </summary>
internal sealed class ConverterDelegates
{
    // Weak: a converter made for one model must not be kept alive by the delegates compiled for it.
    private static readonly ConditionalWeakTable<ValueConverter, ConverterDelegates> Shared = new();

    // Not readonly: holds a stand-in until its first call, then the compiled delegate (LazyDelegates.Resolved).
    private Func<object, object> _fromStored;

    private ConverterDelegates(ValueConverter converter)
    {
        ToStored = LazyDelegates.Compiled(converter.ToProviderBoxed);
        _fromStored = LazyDelegates.Compiled(converter.FromProviderBoxed);
    }

    /// <summary>The conversion to the stored value: a stand-in until some binding's first call; bindings keep it and resolve their copy.</summary>
    public Func<object, object> ToStored { get; }

    /// <summary>Whether the conversion to the stored value has been compiled (tests check that startup does not).</summary>
    public bool ToStoredCompiled => LazyDelegates.IsMade(ToStored);

    /// <summary>Whether the conversion from the stored value has been compiled.</summary>
    public bool FromStoredCompiled => LazyDelegates.IsMade(_fromStored);

    /// <summary>The delegates of <paramref name="converter"/>, made with their stand-ins the first time any binding asks.</summary>
    public static ConverterDelegates Of(ValueConverter converter) => Shared.GetValue(converter, static c => new ConverterDelegates(c));

    /// <summary>Converts a stored value (a key the database generated, say) to the property's type; compiled on the first such value.</summary>
    public object FromStored(object value) => LazyDelegates.Resolved(ref _fromStored)(value);
}
