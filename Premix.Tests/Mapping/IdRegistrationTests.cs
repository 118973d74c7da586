using Premix.Mapping;

namespace Premix.Tests.Mapping;

/// <summary>The registration a dynamic-code-off fix offers for a strongly typed id is C# the user can paste.</summary>
public sealed class IdRegistrationTests
{
    [Test]
    public void A_generic_id_keeps_its_type_arguments_and_its_value_type_is_named_by_its_keyword()
    {
        Assert.That(IdRegistration.Call(typeof(Id<Customer>), typeof(long)),
            Is.EqualTo("Convert(ValueConverters.StronglyTypedId<IdRegistrationTests.Id<IdRegistrationTests.Customer>, long>())"));
    }

    [Test]
    public void A_nested_id_is_named_with_its_outer_classes_and_their_type_arguments()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(IdRegistration.Call(typeof(Customer.Number), typeof(string)),
                Is.EqualTo("Convert(ValueConverters.StronglyTypedId<IdRegistrationTests.Customer.Number, string>())"));
            Assert.That(IdRegistration.Call(typeof(Keyed<Customer>.Key), typeof(Guid)),
                Is.EqualTo("Convert(ValueConverters.StronglyTypedId<IdRegistrationTests.Keyed<IdRegistrationTests.Customer>.Key, Guid>())"));
        }
    }

    [Test]
    public void An_unknown_value_type_is_written_TValue()
    {
        Assert.That(IdRegistration.Call(typeof(Customer.Number), null), Is.EqualTo("Convert(ValueConverters.StronglyTypedId<IdRegistrationTests.Customer.Number, TValue>())"));
    }

    public readonly record struct Id<T>(long Value);

    public sealed class Keyed<T>
    {
        public readonly record struct Key(Guid Value);
    }

    public sealed class Customer
    {
        public readonly record struct Number(string Value);
    }
}
