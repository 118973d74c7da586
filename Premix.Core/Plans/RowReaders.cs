using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Compiles, once per entity, a delegate that builds an entity from the current row of a reader whose columns are the
/// plan's select list, reading each column by ordinal with the typed getter of its property type (no boxing, no
/// per-row conversion through object); a property with a converter gets the converter inlined after the read.
/// </summary>
internal static class RowReaders
{
    private const string EnumParseConstraint = "Enum.Parse<TEnum> puts no DynamicallyAccessedMembers on TEnum; its struct constraint asks for a parameterless constructor, which an enum's default needs none of.";

    private static readonly MethodInfo IsDbNull = typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull), [typeof(int)])!;
    private static readonly MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue), [typeof(int)])!;
    private static readonly MethodInfo GetInt64 = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt64), [typeof(int)])!;
    private static readonly MethodInfo GetString = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetString), [typeof(int)])!;
    private static readonly MethodInfo SpecifyKind = typeof(DateTime).GetMethod(nameof(DateTime.SpecifyKind), [typeof(DateTime), typeof(DateTimeKind)])!;
    private static readonly MethodInfo ReadWallClock = typeof(DateTimeColumn).GetMethod(nameof(DateTimeColumn.ReadWallClock))!;

    // The driver's typed getters of the types DbDataReader has one for (see Typed). Each is named by a constant, so a trimmed
    // application keeps these and no other of DbDataReader's methods for reflection. The generated reader (Generation's
    // ColumnRead) and the interpreted one (Querying's ColumnValues) call the same getters: change the three tables together.
    private static readonly Dictionary<Type, MethodInfo> TypedGetters = new()
    {
        [typeof(long)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt64), [typeof(int)])!,
        [typeof(int)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt32), [typeof(int)])!,
        [typeof(short)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetInt16), [typeof(int)])!,
        [typeof(bool)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetBoolean), [typeof(int)])!,
        [typeof(double)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDouble), [typeof(int)])!,
        [typeof(decimal)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDecimal), [typeof(int)])!,
        [typeof(DateTime)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetDateTime), [typeof(int)])!,
        [typeof(Guid)] = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetGuid), [typeof(int)])!,
    };

    /// <summary>The reader of <paramref name="entity"/>'s rows, given the plan's binding of each of its properties, in order.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="columns">Its properties' bindings.</param>
    /// <param name="ordinals">Where each property's column is in the select list; <see langword="null"/>: in property order.</param>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<DbDataReader, object> Compile(EntityModel entity, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<int>? ordinals = null) =>
        LazyDelegates.Compiled(Lambda(entity, columns, ordinals));

    /// <summary>
    /// The reader of a plan's rows (columns in property order), calling the driver's own getters once a statement shows
    /// its reader class (see <see cref="DriverRowReader"/>).
    /// </summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Execution.RowReader Rows(EntityModel entity, IReadOnlyList<ParameterBinding> columns) =>
        new DriverRowReader(Lambda(entity, columns, null));

    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private static Expression<Func<DbDataReader, object>> Lambda(EntityModel entity, IReadOnlyList<ParameterBinding> columns, IReadOnlyList<int>? ordinals)
    {
        var constructor = entity.ClrType.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes)
            ?? throw new InvalidOperationException($"{entity.Name} needs a parameterless constructor (it may be private) so Premix can create it from a row.");
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var instance = Expression.Variable(entity.ClrType, "entity");
        var body = new List<Expression> { Expression.Assign(instance, Expression.New(constructor)) };
        var variables = new List<ParameterExpression> { instance };
        var owned = new Dictionary<OwnedModel, List<(PropertyModel Member, Expression Value)>>();
        for (var ordinal = 0; ordinal < entity.Properties.Count; ordinal++)
        {
            var read = Read(reader, ordinals?[ordinal] ?? ordinal, columns[ordinal]);
            if (columns[ordinal].Property is { Owner: { } owner } member)
            {
                // A value object's members are read first, then the object is made from them (a record takes them in its constructor).
                var value = Expression.Variable(read.Type, member.Property.Name);
                variables.Add(value);
                body.Add(Expression.Assign(value, read));
                (owned.TryGetValue(owner.Root, out var members) ? members : owned[owner.Root] = []).Add((member, value));
                continue;
            }

            body.Add(Expression.Assign(Expression.Property(instance, columns[ordinal].Property.Property), read));
        }

        foreach (var (owner, members) in owned)
        {
            body.Add(Expression.Assign(Expression.Property(instance, owner.Navigation), ValueObject(owner, members)));
        }

        body.Add(Expression.Convert(instance, typeof(object)));
        return Expression.Lambda<Func<DbDataReader, object>>(Expression.Block(variables, body), reader);
    }

    // new Money(amount, currency) { Other = other }, or null for an optional value object whose columns are all NULL.
    // members: the values read of the columns of the value object and of those it holds (nested ones are built first, from
    // theirs, and set as members: ValueObjectMembers, which the interpreted reader shares).
    internal static Expression ValueObject(OwnedModel owner, List<(PropertyModel Member, Expression Value)> members)
    {
        var (arguments, set) = ValueObjectMembers.Of(owner, members, ValueObject);
        var created = Expression.MemberInit(
            Expression.New(owner.Constructor, arguments.Select(a => Unlifted(a.Value, a.Parameter.ParameterType))),
            set.Select(m => Expression.Bind(m.Member, Unlifted(m.Value, m.Member.PropertyType))));
        if (owner.IsRequired)
        {
            return created;
        }

        var allNull = members.Select(m => (Expression)Expression.Equal(m.Value, Expression.Constant(null, m.Value.Type))).Aggregate(Expression.AndAlso);
        return Expression.Condition(allNull, Expression.Constant(null, owner.ClrType), created);
    }

    // A member read as T? (the owner may hold none) goes into a T property or parameter as its value, or default when NULL.
    [DynamicDependency(nameof(Nullable<int>.GetValueOrDefault) + "()", typeof(Nullable<>))]
    [UnconditionalSuppressMessage("Trimming", "IL2075:UnrecognizedReflectionPattern", Justification = "Nullable<T>.GetValueOrDefault() is kept by the DynamicDependency above (trimming keeps members on the generic definition, so for every T?).")]
    private static Expression Unlifted(Expression value, Type target) =>
        value.Type == target ? value
        : Nullable.GetUnderlyingType(value.Type) == target ? Expression.Call(value, value.Type.GetMethod(nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)!)
        : Expression.Convert(value, target);

    // The driver's own getter where DbDataReader has one for the type (GetInt64, GetDateTime, ...), GetFieldValue<T> otherwise.
    // Every driver's GetFieldValue<T> ends in those getters, but Microsoft.Data.Sqlite's first tests the type at run time,
    // on every column of every row.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private static MethodCallExpression Typed(ParameterExpression reader, Type type, ConstantExpression index) =>
        Expression.Call(reader, TypedGetters.TryGetValue(type, out var getter) ? getter : FieldValueOf(type), index);

    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = "DbDataReader.GetFieldValue<T> puts no DynamicallyAccessedMembers on T.")]
    private static MethodInfo FieldValueOf(Type type) => GetFieldValue.MakeGenericMethod(type);

    // An enum stored as its member's name.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = EnumParseConstraint)]
    [UnconditionalSuppressMessage("Trimming", "IL2071:UnrecognizedReflectionPattern", Justification = EnumParseConstraint)]
    private static MethodCallExpression EnumParse(Type enumType, Expression name) =>
        Expression.Call(typeof(Enum), nameof(Enum.Parse), [enumType], name);

    // An enum stored as a label of a database enum type.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [DynamicDependency("Read``1(System.String)", typeof(DatabaseEnum))]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "The method found by name is DatabaseEnum.Read<T>, kept by the DynamicDependency above.")]
    private static MethodCallExpression EnumRead(DatabaseEnum databaseEnum, Type enumType, Expression label) =>
        Expression.Call(Expression.Constant(databaseEnum), nameof(DatabaseEnum.Read), [enumType], label);

    /// <summary>Reads one column of the current row as its property's type, boxed (a table-per-hierarchy discriminator).</summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    public static Func<DbDataReader, object?> CompileValue(ParameterBinding column, int ordinal)
    {
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        return LazyDelegates.Compiled(Expression.Lambda<Func<DbDataReader, object?>>(Expression.Convert(Read(reader, ordinal, column), typeof(object)), reader));
    }

    /// <summary>A typed read of the column at <paramref name="ordinal"/> as the type of <paramref name="column"/>'s property, null-checked where it can be null.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <param name="column">Its property's binding.</param>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    internal static Expression Read(ParameterExpression reader, int ordinal, ParameterBinding column)
    {
        var property = column.Property;
        var index = Expression.Constant(ordinal);
        var type = property.StoredType;
        Expression value = property.EnumStorage switch
        {
            _ when EnumArrayColumns.Holds(property) => EnumArrayColumns.FromLabels(property, Expression.Call(reader, FieldValueOf(typeof(string[])), index)),
            EnumStorage.Text => EnumParse(type, Expression.Call(reader, GetString, index)),
            EnumStorage.EnumType => EnumRead(property.EnumType!, type, Expression.Call(reader, GetString, index)),
            EnumStorage.Number => Expression.Convert(Expression.Convert(Expression.Call(reader, GetInt64, index), Enum.GetUnderlyingType(type)), type),
            // Every float is exact as a double; MySqlConnector refuses to narrow a DOUBLE column holding float.MaxValue itself.
            _ when type == typeof(float) => Expression.Convert(Expression.Call(reader, FieldValueOf(typeof(double)), index), type),
            // GetFieldValue<string> is shared generic code for reference types that tests the type at run time; GetString does not.
            _ when type == typeof(string) => Expression.Call(reader, GetString, index),
            // UTC instants come back as UTC whatever the driver says; a wall-clock column must not turn out to hold instants.
            _ when column.DateTimeRule is { HoldsUtc: true } => Expression.Call(SpecifyKind, Typed(reader, type, index), Expression.Constant(DateTimeKind.Utc)),
            _ when column.DateTimeRule is { } wallClock => Expression.Call(Expression.Constant(wallClock), ReadWallClock, Typed(reader, type, index)),
            _ => Typed(reader, type, index),
        };

        var target = property.PropertyType;
        value = PropertyAccessors.FromStored(property, value); // a converted property's conversion, inlined

        if (target.IsValueType && !property.IsNullableValueType)
        {
            return value;
        }

        if (property is { IsRequired: true, Owner: null, Converter: null })
        {
            // A required column is not expected to hold NULL, so its value is read first and NULL is found only if the getter
            // refuses it: the same null as the test below, without asking the driver per row (on SQLite, two native calls the
            // getter makes again). Only without a conversion: a getter that answers NULL with null instead of refusing it
            // (SQLite's GetFieldValue<byte[]>) gives that null here, but a conversion must never be handed a NULL.
            var refused = Expression.Parameter(typeof(Exception), "refused");
            return Expression.TryCatch(value, Expression.Catch(refused, Expression.Default(target), Expression.Call(reader, IsDbNull, index)));
        }

        return Expression.Condition(Expression.Call(reader, IsDbNull, index), Expression.Default(target), value);
    }
}
