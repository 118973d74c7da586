using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Premix.Mapping;

/// <summary>
/// The converter of a property stored as JSON (<c>StoredAsJson</c>): System.Text.Json to text and back, with the options
/// fixed when the model is built, so the expressions compile into readers and writers like any converter's.
/// </summary>
internal static class JsonConversion
{
    /// <summary>The options of a JSON column when neither the property nor the model gives any: System.Text.Json's defaults.</summary>
    public static JsonSerializerOptions Defaults { get; } = new(JsonSerializerDefaults.General);

    public static ValueConverter For(Type type, JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true); // later changes would make stored text and snapshots disagree
        var method = typeof(JsonConversion).GetMethod(nameof(Create), BindingFlags.Static | BindingFlags.NonPublic)!.MakeGenericMethod(type);
        return (ValueConverter)method.Invoke(null, [options])!;
    }

    private static ValueConverter<T, string> Create<T>(JsonSerializerOptions options)
    {
        var settings = Expression.Constant(options);
        var value = Expression.Parameter(typeof(T), "value");
        var text = Expression.Parameter(typeof(string), "json");
        var serialize = typeof(JsonSerializer).GetMethod(nameof(JsonSerializer.Serialize), 1, [Type.MakeGenericMethodParameter(0), typeof(JsonSerializerOptions)])!.MakeGenericMethod(typeof(T));
        var deserialize = typeof(JsonSerializer).GetMethod(nameof(JsonSerializer.Deserialize), 1, [typeof(string), typeof(JsonSerializerOptions)])!.MakeGenericMethod(typeof(T));
        return new ValueConverter<T, string>(
            Expression.Lambda<Func<T, string>>(Expression.Call(serialize, value, settings), value),
            Expression.Lambda<Func<string, T>>(Expression.Call(deserialize, text, settings), text));
    }
}
