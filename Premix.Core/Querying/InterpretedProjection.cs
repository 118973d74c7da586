using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// A Select where no reader can be compiled (native AOT: dynamic code off): the row is read whole by the entity's own
/// reader (the generated model's), then the selector is evaluated over that entity, untracked. The members, constructors
/// and setters it calls are the ones the compiler named in the expression tree, which native AOT keeps for reflection.
/// The shapes allowed and refused are <see cref="Projection"/>'s, with the same messages, but for a struct made without a
/// constructor (<c>new S { A = x.A }</c>), refused here; conversions are C#'s (<see cref="Casts"/>). The select list differs:
/// every column of the entity.
/// </summary>
internal sealed class InterpretedProjection
{
    private readonly EntityPlan _plan;
    private readonly LambdaExpression _selector;

    private InterpretedProjection(EntityPlan plan, LambdaExpression selector)
    {
        _plan = plan;
        _selector = selector;
    }

    /// <summary>The reader of <paramref name="selector"/>'s results; a shape <see cref="Projection"/> refuses is refused here, now.</summary>
    public static Func<DbDataReader, object> Reader(EntityPlan plan, LambdaExpression selector)
    {
        var projection = new InterpretedProjection(plan, selector);
        projection.Check(selector.Body);
        return reader => projection.Evaluate(selector.Body, plan.Rows.Open(reader, string.Empty)(reader))!;
    }

    // What Projection.ColumnReads accepts: columns and value objects of the entity, constructors, member initialisers, conversions.
    private void Check(Expression node)
    {
        switch (node)
        {
            case MemberExpression member when MemberPath.Of(member, _selector.Parameters[0]) is { } path:
                _ = Mapped(path);
                break;
            case UnaryExpression { NodeType: ExpressionType.Convert } convert:
                Check(convert.Operand);
                break;
            case NewExpression { Constructor: null } created:
                // new S { A = x.A } of a struct without a parameterless constructor: nothing to invoke, and making a default S
                // by reflection is not AOT-safe.
                throw new NotSupportedException(
                    $"Select({_selector}) makes a {created.Type.Name} without a constructor, which Premix cannot do with dynamic code off (RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot). " +
                    $"Fix: give {created.Type.Name} a constructor and use new {created.Type.Name}(x.A, …), or make {created.Type.Name} a class.");
            case NewExpression created:
                foreach (var argument in created.Arguments)
                {
                    Check(argument);
                }

                break;
            case MemberInitExpression init when init.Bindings.All(b => b is MemberAssignment):
                Check(init.NewExpression);
                foreach (var binding in init.Bindings)
                {
                    Check(((MemberAssignment)binding).Expression);
                }

                break;
            default:
                throw new NotSupportedException(
                    $"Select({_selector}) may only build an object from mapped columns of {_plan.Entity.Name} (new Dto {{ A = x.A }}, new Record(x.A, x.B) or x => x.A); '{node}' is not one. Compute it after the query, or write the SQL with Raw(...).");
        }
    }

    // A column (Name, Total.Amount) or a whole value object (Total, Home.Geo) of the entity.
    private bool Mapped(string path) =>
        _plan.Properties.Any(p => p.Property.Name == path || p.Property.Owner?.Path.Any(o => o.Name == path) == true)
            ? true
            : throw new NotSupportedException($"{_plan.Entity.Name}.{path} is not a mapped column, so Select({_selector}) cannot read it.");

    private object? Evaluate(Expression node, object entity) => node switch
    {
        MemberExpression member when MemberPath.Of(member, _selector.Parameters[0]) is { } path => Read(member, entity, path, member.Type),
        // (decimal?)x.Home.Geo.Lat: a null value object gives null, as the compiled reader's nullable read does; any other
        // conversion is C#'s (Converted).
        UnaryExpression { Operand: MemberExpression member } convert when MemberPath.Of(member, _selector.Parameters[0]) is { } path =>
            Converted(convert, Read(member, entity, path, Nullable.GetUnderlyingType(convert.Type) == member.Type ? convert.Type : member.Type)),
        UnaryExpression convert => Converted(convert, Evaluate(convert.Operand, entity)),
        NewExpression { Constructor: { } constructor } created => constructor.Invoke(Arguments(created.Arguments, entity)),
        MemberInitExpression init => Initialised(init, entity),
        _ => throw new InvalidOperationException($"'{node}' was checked when the projection was made."),
    };

    // The conversion C# makes ((int)x.Price truncates, a user operator is called): a NULL converted to a non-nullable type
    // is refused, as the compiled reader's conversion refuses it, not made that type's default by reflection.
    private object? Converted(UnaryExpression convert, object? value)
    {
        try
        {
            return Casts.Unchecked(value, convert.Type, convert.Method);
        }
        catch (InvalidOperationException refused) when (value is null)
        {
            throw new InvalidOperationException(
                $"Select({_selector}) converts '{convert.Operand}' to {convert.Type.Name}, but a row holds NULL there. Convert it to {convert.Type.Name}? to get null instead.",
                refused);
        }
    }

    // x.Home.Geo.Lat, walked from the entity: a null value object on the way gives null, which a non-nullable target (the
    // member's type, or the type it is converted to) refuses with the message the compiled reader gives.
    private object? Read(MemberExpression member, object entity, string path, Type target)
    {
        var value = Walk(member, entity);
        if (value is null && target.IsValueType && Nullable.GetUnderlyingType(target) is null)
        {
            throw new InvalidOperationException(
                $"Select({_selector}) reads {_plan.Entity.Name}.{path} as a {member.Type.Name}, but a row holds NULL there (the value object that holds it is null). Read it as {member.Type.Name}? (({member.Type.Name}?)x.{path}) to get null instead.");
        }

        return value;
    }

    // The chain's value: each property read from the value before it, the first from the entity (the lambda's parameter).
    private static object? Walk(Expression node, object entity) => node is MemberExpression { Member: PropertyInfo property, Expression: { } inner }
        ? Walk(inner, entity) is { } holder ? property.GetValue(holder) : null
        : entity;

    private object Initialised(MemberInitExpression init, object entity)
    {
        var created = Evaluate(init.NewExpression, entity)!;
        foreach (var binding in init.Bindings)
        {
            var value = Evaluate(((MemberAssignment)binding).Expression, entity);
            if (binding.Member is PropertyInfo property)
            {
                property.SetValue(created, value);
            }
            else
            {
                ((FieldInfo)binding.Member).SetValue(created, value);
            }
        }

        return created;
    }

    private object?[] Arguments(IReadOnlyList<Expression> arguments, object entity)
    {
        var values = new object?[arguments.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Evaluate(arguments[i], entity);
        }

        return values;
    }
}
