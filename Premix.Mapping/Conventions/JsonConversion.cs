using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Premix.Mapping;

/// <summary>
/// The converter of a property stored as JSON (<c>StoredAsJson</c>): System.Text.Json to text and back, with the options
/// fixed when the model is built, so the expressions compile into readers and writers like any converter's.
/// </summary>
internal static class JsonConversion
{
    /// <summary>What the build says where a trimmed or native AOT application maps a property <c>StoredAsJson</c>.</summary>
    internal const string TrimmingMessage = "A property StoredAsJson is serialized by System.Text.Json's reflection-based serializer, which trimming can break and native AOT cannot run, and the generated model does not cover JSON columns (docs/aot.md, Native AOT).";

    /// <summary>The options of a JSON column when neither the property nor the model gives any: System.Text.Json's defaults.</summary>
    public static JsonSerializerOptions Defaults { get; } = new(JsonSerializerDefaults.General);

    /// <summary>The converter of <paramref name="type"/> (without <c>?</c>); <c>StoredAsJson</c> hands this method to the model build, so only a mapping that stores JSON reaches it.</summary>
    [RequiresUnreferencedCode(TrimmingMessage)]
    [RequiresDynamicCode(TrimmingMessage)]
    public static ValueConverter For(Type type, JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true); // later changes would make stored text and snapshots disagree
        var method = typeof(JsonConversion).GetMethod(nameof(Create), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(type);
        return (ValueConverter)method.Invoke(null, [options])!;
    }

    /// <summary>
    /// The converter of <typeparamref name="T"/> through the metadata System.Text.Json's source generator wrote
    /// (<c>StoredAsJson(JsonTypeInfo)</c>): no reflection, so nothing a trimmer or native AOT warns about.
    /// </summary>
    public static ValueConverter For<T>(JsonTypeInfo<T> typeInfo)
    {
        typeInfo.Options.MakeReadOnly(); // as For's options: the stored text and the snapshots must agree
        return new ValueConverter<T, string>(value => JsonSerializer.Serialize(value, typeInfo), json => JsonSerializer.Deserialize(json, typeInfo)!);
    }

    [RequiresUnreferencedCode(TrimmingMessage)]
    [RequiresDynamicCode(TrimmingMessage)]
    private static ValueConverter<T, string> Create<T>(JsonSerializerOptions options) =>
        new(value => JsonSerializer.Serialize(value, options), json => JsonSerializer.Deserialize<T>(json, options)!);
}
