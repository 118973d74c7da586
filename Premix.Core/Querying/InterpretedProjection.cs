using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// A Select where no reader can be compiled (native AOT: dynamic code off): the select list holds the columns the selector
/// reads, as the compiled reader's does (<see cref="Projection"/>), each column is read by ordinal as its property's type
/// (<see cref="ColumnValues"/>), and the selector is evaluated over those values. The constructors and setters it calls are
/// the ones the compiler named in the expression tree, which native AOT keeps for reflection. The shapes allowed and
/// refused are <see cref="Projection"/>'s, with the same messages, but for a struct made without a constructor
/// (<c>new S { A = x.A }</c>), refused here; conversions are C#'s (<see cref="Casts"/>).
/// </summary>
internal sealed class InterpretedProjection
{
    private readonly EntityPlan _plan;
    private readonly LambdaExpression _selector;
    private readonly List<ParameterBinding> _columns = [];

    // Per column, the dialect's getter of a type only its engine stores (a PostgreSQL range), or null.
    private readonly Func<DbDataReader, int, object>?[] _ownGetters;

    // How each member chain of the selector (by its path) is read from the row's values: a column, or a value object built
    // from its columns. Made once, with the projection.
    private readonly Dictionary<string, Func<object?[], object?>> _reads = [];

    // Each member chain node of the selector with its path and read, so that a row walks no chain to find its path.
    private readonly Dictionary<MemberExpression, (string Path, Func<object?[], object?> Read)> _members = [];

    private InterpretedProjection(EntityPlan plan, ISqlDialect dialect, LambdaExpression selector)
    {
        _plan = plan;
        _selector = selector;
        Check(selector.Body);
        _ownGetters = [.. _columns.Select(c => dialect.ColumnGetter(c.Property.StoredType))];
    }

    /// <summary>The columns the selector reads, each once, in the order the compiled reader lists them: the select list.</summary>
    public IReadOnlyList<ParameterBinding> Columns => _columns;

    /// <summary>The projection of <paramref name="selector"/>; a shape <see cref="Projection"/> refuses is refused here, now.</summary>
    public static InterpretedProjection Of(EntityPlan plan, ISqlDialect dialect, LambdaExpression selector) => new(plan, dialect, selector);

    /// <summary>Builds one result from the current row of a reader over <see cref="Columns"/> (null for a null single column).</summary>
    public object Read(DbDataReader reader)
    {
        var values = new object?[_columns.Count];
        for (var ordinal = 0; ordinal < values.Length; ordinal++)
        {
            values[ordinal] = ColumnValues.Read(reader, ordinal, _columns[ordinal], _ownGetters[ordinal]);
        }

        return Evaluate(_selector.Body, values)!;
    }

    // What Projection.ColumnReads accepts: columns and value objects of the entity, constructors, member initialisers,
    // conversions; visited in its order, so the columns are listed in its order.
    private void Check(Expression node)
    {
        switch (node)
        {
            case MemberExpression member when MemberPath.Of(member, _selector.Parameters[0]) is { } path:
                _members[member] = (path, Add(path));
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

    // A column (Name, Total.Amount) or a whole value object (Total, Home.Geo) of the entity, as Projection.ColumnReads reads it.
    private Func<object?[], object?> Add(string path)
    {
        if (_reads.TryGetValue(path, out var known))
        {
            return known;
        }

        var column = _plan.Properties.FirstOrDefault(p => p.Property.Name == path);
        if (column is not null)
        {
            var ordinal = Ordinal(column);
            return _reads[path] = values => values[ordinal];
        }

        var (target, start, members) = ValueObjectColumns.Of(_plan, path, _selector);
        var ordinals = members.ConvertAll(p => (Member: p.Property, Ordinal: Ordinal(p))).ToArray();
        return _reads[path] = values => InterpretedValueObjects.Reached(start, target, ordinals, values);
    }

    private int Ordinal(ParameterBinding column)
    {
        var ordinal = _columns.IndexOf(column);
        if (ordinal < 0)
        {
            ordinal = _columns.Count;
            _columns.Add(column);
        }

        return ordinal;
    }

    private object? Evaluate(Expression node, object?[] values) => node switch
    {
        MemberExpression member when _members.TryGetValue(member, out var read) => Member(member, values, read, member.Type),
        // (decimal?)x.Home.Geo.Lat: a null value object gives null, as the compiled reader's nullable read does; any other
        // conversion is C#'s (Converted).
        UnaryExpression { Operand: MemberExpression member } convert when _members.TryGetValue(member, out var read) =>
            Converted(convert, Member(member, values, read, Nullable.GetUnderlyingType(convert.Type) == member.Type ? convert.Type : member.Type)),
        UnaryExpression convert => Converted(convert, Evaluate(convert.Operand, values)),
        NewExpression { Constructor: { } constructor } created => constructor.Invoke(Arguments(created.Arguments, values)),
        MemberInitExpression init => Initialised(init, values),
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

    // A column's or value object's value: a null (a NULL column, or a null value object holding it) is refused by a
    // non-nullable target (the member's type, or the type it is converted to) with the message the compiled reader gives.
    private object? Member(MemberExpression member, object?[] values, (string Path, Func<object?[], object?> Read) read, Type target)
    {
        var (path, value) = (read.Path, read.Read(values));
        if (value is null && target.IsValueType && Nullable.GetUnderlyingType(target) is null)
        {
            throw new InvalidOperationException(
                $"Select({_selector}) reads {_plan.Entity.Name}.{path} as a {member.Type.Name}, but a row holds NULL there (the value object that holds it is null). Read it as {member.Type.Name}? (({member.Type.Name}?)x.{path}) to get null instead.");
        }

        return value;
    }

    private object Initialised(MemberInitExpression init, object?[] values)
    {
        var created = Evaluate(init.NewExpression, values)!;
        foreach (var binding in init.Bindings)
        {
            var value = Evaluate(((MemberAssignment)binding).Expression, values);
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

    private object?[] Arguments(IReadOnlyList<Expression> arguments, object?[] values)
    {
        var results = new object?[arguments.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Evaluate(arguments[i], values);
        }

        return results;
    }
}
