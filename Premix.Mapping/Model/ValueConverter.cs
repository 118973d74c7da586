using System.Linq.Expressions;

namespace Premix.Mapping;

/// <summary>
/// Converts a property's values to the values its column stores (the provider type) and back, for a type no column holds
/// as it is: a strongly typed id, a <see cref="Uri"/>, a value object of one value. The provider type decides the column's
/// type and every rule on its values (length, decimal digits, DateTime kinds), as if the property were of that type.
/// </summary>
/// <remarks>
/// Both directions are expressions, so Premix compiles them into its readers, writers and query parameters, each on its
/// first use (not at startup). They never see a null: a null property is an SQL NULL and back. Create one with
/// <see cref="ValueConverter{TModel, TProvider}"/> or take a built-in from <see cref="ValueConverters"/>.
/// </remarks>
public abstract class ValueConverter
{
    private protected ValueConverter(LambdaExpression toProvider, LambdaExpression fromProvider)
    {
        ToProvider = toProvider;
        FromProvider = fromProvider;
        ToProviderBoxed = Boxed(toProvider);
        FromProviderBoxed = Boxed(fromProvider);
    }

    /// <summary>The property's type (without <see cref="Nullable{T}"/>).</summary>
    public Type ModelType => ToProvider.Parameters[0].Type;

    /// <summary>The type the column stores, one Premix can store (see <see cref="ScalarTypes"/>).</summary>
    public Type ProviderType => ToProvider.ReturnType;

    /// <summary>The conversion from a property's value to the stored value.</summary>
    public LambdaExpression ToProvider { get; }

    /// <summary>The conversion from a stored value to the property's value.</summary>
    public LambdaExpression FromProvider { get; }

    /// <summary>The conversion to the stored value on boxed values (keys and query values arrive boxed); Premix compiles it on first use.</summary>
    internal Expression<Func<object, object>> ToProviderBoxed { get; }

    /// <summary>The conversion from the stored value on boxed values; Premix compiles it on first use.</summary>
    internal Expression<Func<object, object>> FromProviderBoxed { get; }

    private static Expression<Func<object, object>> Boxed(LambdaExpression conversion)
    {
        var value = Expression.Parameter(typeof(object), "value");
        var body = Expression.Invoke(conversion, Expression.Convert(value, conversion.Parameters[0].Type));
        return Expression.Lambda<Func<object, object>>(Expression.Convert(body, typeof(object)), value);
    }
}

/// <summary>A conversion between <typeparamref name="TModel"/>, a property's type, and <typeparamref name="TProvider"/>, its column's.</summary>
/// <typeparam name="TModel">The property's type (without <see cref="Nullable{T}"/>).</typeparam>
/// <typeparam name="TProvider">The stored type: one Premix can store, such as <see cref="long"/> or <see cref="string"/>.</typeparam>
/// <param name="toProvider">From a property's value to the stored value (<c>id =&gt; id.Value</c>).</param>
/// <param name="fromProvider">From a stored value to the property's value (<c>v =&gt; new CustomerId(v)</c>).</param>
public sealed class ValueConverter<TModel, TProvider>(Expression<Func<TModel, TProvider>> toProvider, Expression<Func<TProvider, TModel>> fromProvider)
    : ValueConverter(toProvider ?? throw new ArgumentNullException(nameof(toProvider)), fromProvider ?? throw new ArgumentNullException(nameof(fromProvider)));
