using System.Diagnostics.CodeAnalysis;

namespace Premix.Mapping;

/// <summary>
/// Names the types of a table-per-hierarchy mapping and the discriminator value that marks each one's rows, after
/// <see cref="EntityBuilder{T}.HasDiscriminator{TValue}"/>.
/// </summary>
/// <typeparam name="T">The base entity class, whose table every type of the hierarchy shares.</typeparam>
/// <typeparam name="TValue">The type of the discriminator property.</typeparam>
public sealed class DiscriminatorBuilder<T, TValue>
    where T : class
    where TValue : notnull
{
    private readonly DiscriminatorDraft _draft;

    internal DiscriminatorBuilder(DiscriminatorDraft draft) => _draft = draft;

    /// <summary>
    /// Maps <typeparamref name="TDerived"/> (a subclass of <typeparamref name="T"/>, or <typeparamref name="T"/> itself when
    /// it is not abstract) to the rows whose discriminator holds <paramref name="value"/>. Premix writes the value on insert
    /// and builds a <typeparamref name="TDerived"/> from every row that holds it.
    /// </summary>
    /// <param name="value">The discriminator value of <typeparamref name="TDerived"/>'s rows, unique in the hierarchy.</param>
    public DiscriminatorBuilder<T, TValue> HasValue<[DynamicallyAccessedMembers(EntityModel.Members)] TDerived>(TValue value)
        where TDerived : T
    {
        ArgumentNullException.ThrowIfNull(value);
        _draft.Values.Add(new DiscriminatorValue(typeof(TDerived), value));
        return this;
    }
}
