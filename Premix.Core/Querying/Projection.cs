using System.Diagnostics.CodeAnalysis;
using System.Data.Common;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// A Select translated once per shape: the SQL select list (each mapped column the selector reads, once) and a row
/// reader that builds the result from those columns by ordinal. Only columns, constructors and member initialisers may
/// appear, so nothing captured is baked into the cached reader. Under native AOT (dynamic code off) the select list is the
/// same, and the selector is evaluated over the values of those columns (<see cref="InterpretedProjection"/>).
/// </summary>
internal sealed class Projection
{
    private Projection(string selectList, Execution.RowReader rows)
    {
        SelectList = selectList;
        Rows = rows;
    }

    public string SelectList { get; }

    /// <summary>Builds one result from the current row (boxed for a value type; null for a null single column).</summary>
    public Execution.RowReader Rows { get; }

    public static Projection Compile(EntityPlan plan, ISqlDialect dialect, LambdaExpression selector)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // Native AOT: no reader can be compiled, so each selected column is read by ordinal and the selector evaluated over them.
            return Interpreted(plan, dialect, selector);
        }

        var columns = new List<ParameterBinding>();
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var body = new ColumnReads(plan, selector, columns, reader).Visit(selector.Body)!;
        // Compiled on first use, for the driver's reader class.
        var read = Expression.Lambda<Func<DbDataReader, object>>(Expression.Convert(body, typeof(object)), reader);
        return new Projection(ColumnList(dialect, columns), new DriverRowReader(read));
    }

    /// <summary>
    /// The projection made without compiling (what <see cref="Compile"/> makes with dynamic code off): the same select list,
    /// read column by column in order, each once.
    /// </summary>
    internal static Projection Interpreted(EntityPlan plan, ISqlDialect dialect, LambdaExpression selector)
    {
        var projection = InterpretedProjection.Of(plan, dialect, selector);
        return new Projection(ColumnList(dialect, projection.Columns), Execution.RowReader.Compiled(projection.Read));
    }

    private static string ColumnList(ISqlDialect dialect, IEnumerable<ParameterBinding> columns) =>
        string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Property.Column)));

    // Replaces each x.Column with a typed read of its ordinal; refuses anything else that touches x or captures values.
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    private sealed class ColumnReads(EntityPlan plan, LambdaExpression selector, List<ParameterBinding> columns, ParameterExpression reader) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node switch
        {
            null => null,
            MemberExpression member when MemberPath.Of(member, selector.Parameters[0]) is { } path => Typed(Read(path), member.Type, path),
            UnaryExpression { NodeType: ExpressionType.Convert, Operand: MemberExpression member } convert when MemberPath.Of(member, selector.Parameters[0]) is { } path => Converted(Read(path), convert, path),
            NewExpression or MemberInitExpression or UnaryExpression { NodeType: ExpressionType.Convert } => base.Visit(node),
            _ => throw new NotSupportedException(
                $"Select({selector}) may only build an object from mapped columns of {plan.Entity.Name} (new Dto {{ A = x.A }}, new Record(x.A, x.B) or x => x.A); '{node}' is not one. Compute it after the query, or write the SQL with Raw(...)."),
        };

        // A value object's struct member is read as T? (its owner may be NULL): into a T it goes as its value, and a missing owner is an error, not a made-up default.
        private Expression Typed(Expression read, Type type, string path)
        {
            if (read.Type == type)
            {
                return read;
            }

            var value = Expression.Variable(read.Type, "value");
            var missing = Expression.New(typeof(InvalidOperationException).GetConstructor([typeof(string)])!, Expression.Constant($"Select({selector}) reads {plan.Entity.Name}.{path} as a {type.Name}, but a row holds NULL there (the value object that holds it is null). Read it as {type.Name}? (({type.Name}?)x.{path}) to get null instead."));
            return Expression.Block(type, [value], Expression.Assign(value, read),
                Expression.Condition(NullableMembers.HasValue(value), NullableMembers.Value(value), Expression.Throw(missing, type)));
        }

        // (decimal?)x.Home.Geo.Lat: the nullable read as it is, so a null value object gives null.
        private Expression Converted(Expression read, UnaryExpression convert, string path) =>
            read.Type == convert.Type ? read : Expression.Convert(Typed(read, convert.Operand.Type, path), convert.Type);

        // A column (x.Name, x.Total.Amount, x.Home.Geo.Lat), or a whole value object (x.Total, x.Home.Geo).
        private Expression Read(string path)
        {
            var column = plan.Properties.FirstOrDefault(p => p.Property.Name == path);
            if (column is not null)
            {
                return ReadColumn(column);
            }

            // A whole value object: its members' columns (a nested one's included), made into the object as the entity's reader does.
            var (target, start, members) = ValueObjectColumns.Of(plan, path, selector);
            var reads = members.ConvertAll(ReadColumn);
            var values = members.Select((m, i) => (Member: m.Property, Value: Expression.Variable(reads[i].Type, m.Property.Property.Name))).ToList();
            var assignments = values.Select((v, i) => (Expression)Expression.Assign(v.Value, reads[i]));
            var built = RowReaders.ValueObject(start, values.ConvertAll(v => (v.Member, (Expression)v.Value)));
            for (var depth = start.Path.Count; depth < target.Path.Count; depth++)
            {
                var holder = Expression.Variable(built.Type, "holder");
                var next = target.Path[depth];
                built = Expression.Block(next.ClrType, [holder], Expression.Assign(holder, built),
                    Expression.Condition(Expression.Equal(holder, Expression.Constant(null, holder.Type)), Expression.Constant(null, next.ClrType), Expression.Property(holder, next.Navigation)));
            }

            return Expression.Block(values.Select(v => v.Value), [.. assignments, built]);
        }

        private Expression ReadColumn(ParameterBinding column)
        {
            var ordinal = columns.IndexOf(column);
            if (ordinal < 0)
            {
                ordinal = columns.Count;
                columns.Add(column);
            }

            return RowReaders.Read(reader, ordinal, column);
        }
    }
}
