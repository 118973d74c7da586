using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.CodeAnalysis.CSharp;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Tests.Plans.Generated;

/// <summary>
/// What <see cref="ConverterText"/> prints means what the expression means: each converter of the table is printed, compiled
/// with Roslyn into typed methods (as the generated model's ToStored/FromStored are, nullable context off as there), with and without the project's
/// overflow checks, and called on its inputs; the result (value and type, or the exception's type) is compared with the
/// compiled expression's, in both directions (the conversion back on what the compiled conversion stored).
/// </summary>
public sealed class ConverterTextTests
{
    private static readonly (string Name, ValueConverter Converter, object?[] Inputs)[] Table =
    [
        ("unchecked casts", new ValueConverter<uint, int>(id => unchecked((int)id), v => unchecked((uint)v)), [0u, 2_147_483_648u, uint.MaxValue]),
        ("enum to a narrower number", ValueConverters.EnumToNumber<Perm, byte>(), [Perm.Read, (Perm)300]),
        ("unchecked arithmetic", new ValueConverter<long, long>(v => (v * 3) - 1, v => -(v + 1)), [0L, long.MaxValue, long.MinValue]),
        ("unchecked negation", new ValueConverter<int, int>(v => -v, v => -v), [5, int.MinValue]),
        ("checked arithmetic", new ValueConverter<int, long>(v => checked(v + 1), v => checked((int)(v * 2))), [1, int.MaxValue, int.MinValue]),
        ("a nested generic class", new ValueConverter<int, string>(v => Codecs.Of<int>.Tag(v), s => Codecs.Of<int>.Untag(s)), [0, -42]),
        ("an enum constant typed object", new ValueConverter<int, string>(EnumTypedObject(), s => s.Length), [5]),
        ("flags, conditionals, bitwise", new ValueConverter<Perm, int>(p => (p & Perm.Write) != 0 ? (int)p : ~(int)p, n => (Perm)(n < 0 ? ~n : n ^ 0)), [Perm.Read | Perm.Write, Perm.Read, (Perm)64]),
        ("null checks, ??, as, !, typeof, default", new ValueConverter<string?, string?>(s => (s as object) == null ? typeof(int).ToString() : !(s == "x") ? s ?? default(string) : null, s => s == "System.Int32" ? null : s), [null, "x", "y"]),
        ("numbers and text", new ValueConverter<string, string>(s => s + "\"\\\t\u0001é" + 'q' + '\'' + 1.50m + long.MinValue + int.MinValue + (-0.0) + double.NaN + float.MaxValue + ulong.MaxValue + (byte)255, s => s.Substring(0, 1)), ["a"]),
        ("double constants", new ValueConverter<double, double>(d => d * -0.0 + double.MinValue + 0.1, d => d / double.Epsilon), [1.0, double.MaxValue]),
        ("an extension method and an array's length", new ValueConverter<byte[], int>(b => b.Length + b.Count(), n => Enumerable.Repeat((byte)7, n).ToArray()), [new byte[] { 1, 2 }]),
    ];

    public enum Perm
    {
        Read = 1,
        Write = 2,
    }

    [Test]
    public void Printed_converters_compute_what_their_compiled_expressions_compute([Values(false, true)] bool checkOverflow)
    {
        var source = string.Concat(Table.Select((row, i) => Class(i, row.Converter)));
        var assembly = GeneratedModels.Load([CSharpSyntaxTree.ParseText("#nullable disable\nnamespace ConverterTextCases;\n" + source, path: $"cases{checkOverflow}.cs")], checkOverflow);

        using (Assert.EnterMultipleScope())
        {
            foreach (var (row, i) in Table.Select((row, i) => (row, i)))
            {
                var printed = assembly.GetType($"ConverterTextCases.Case{i}", throwOnError: true)!;
                var to = row.Converter.ToProvider.Compile();
                var from = row.Converter.FromProvider.Compile();
                foreach (var input in row.Inputs)
                {
                    Assert.That(Outcome(() => Call(printed, "To", input)), Is.EqualTo(Outcome(() => Invoke(to, input))), $"{row.Name}: to the stored value of {Show(input)}");
                    if (Run(() => Invoke(to, input)) is (true, var stored))
                    {
                        Assert.That(Outcome(() => Call(printed, "From", stored)), Is.EqualTo(Outcome(() => Invoke(from, stored))), $"{row.Name}: from the stored value {Show(stored)}");
                    }
                }
            }
        }
    }

    /// <summary>Reads and writes an <typeparamref name="T"/> as tagged text: a static generic class nested in a static class.</summary>
    public static class Codecs
    {
        public static class Of<T>
        {
            public static string Tag(T value) => $"{typeof(T).Name}:{value}";

            public static T Untag(string text) => (T)Convert.ChangeType(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..], typeof(T), CultureInfo.InvariantCulture);
        }
    }

    // A tree the C# compiler does not make (it converts the enum to object), but a hand-built converter can: Perm.Write as an object.
    private static Expression<Func<int, string>> EnumTypedObject()
    {
        var value = Expression.Parameter(typeof(int), "value");
        var concat = typeof(string).GetMethod(nameof(string.Concat), [typeof(object), typeof(object)])!;
        return Expression.Lambda<Func<int, string>>(Expression.Call(concat, Expression.Constant(Perm.Write, typeof(object)), Expression.Convert(value, typeof(object))), value);
    }

    private static string Class(int index, ValueConverter converter)
    {
        var (to, from) = ConverterText.Print(converter, typeof(ConverterTextTests).Assembly, out var refusal)
            ?? throw new AssertionException($"Case {index} is refused: {refusal}");
        var (model, stored) = (CSharpText.TypeName(converter.ModelType), CSharpText.TypeName(converter.ProviderType));
        return $$"""
            public static class Case{{index}}
            {
                public static {{stored}} To({{model}} {{ConverterText.Parameter}}) => {{to}};

                public static {{model}} From({{stored}} {{ConverterText.Parameter}}) => {{from}};
            }

            """;
    }

    private static object? Call(Type printed, string method, object? argument) => printed.GetMethod(method)!.Invoke(null, [argument]);

    private static object? Invoke(Delegate compiled, object? argument) => compiled.DynamicInvoke(argument);

    private static (bool Ran, object? Result) Run(Func<object?> call)
    {
        try
        {
            return (true, call());
        }
        catch (TargetInvocationException)
        {
            return (false, null);
        }
    }

    // The value with its type (a boxed enum is not its number; -0.0 is not 0.0), or the exception the call threw.
    private static string Outcome(Func<object?> call)
    {
        try
        {
            return Show(call());
        }
        catch (TargetInvocationException thrown)
        {
            return "throws " + thrown.InnerException!.GetType().Name;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        double d => $"Double {BitConverter.DoubleToInt64Bits(d)}",
        float f => $"Single {BitConverter.SingleToInt32Bits(f)}",
        Array array => $"{array.GetType()} [{string.Join(", ", array.Cast<object?>().Select(Show))}]",
        _ => $"{value.GetType()} {Convert.ToString(value, CultureInfo.InvariantCulture)}",
    };
}
