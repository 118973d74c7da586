using System.Data.Common;
using System.Linq.Expressions;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// A Select translated once per shape: the SQL select list (each mapped column the selector reads, once) and a row
/// reader that builds the result from those columns by ordinal. Only columns, constructors and member initialisers may
/// appear, so nothing captured is baked into the cached reader.
/// </summary>
internal sealed class Projection
{
    private Projection(string selectList, Func<DbDataReader, object> read)
    {
        SelectList = selectList;
        Rows = Execution.RowReader.Compiled(read);
    }

    public string SelectList { get; }

    /// <summary>Builds one result from the current row (boxed for a value type; null for a null single column).</summary>
    public Execution.RowReader Rows { get; }

    public static Projection Compile(EntityPlan plan, ISqlDialect dialect, LambdaExpression selector)
    {
        var columns = new List<ParameterBinding>();
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var body = new ColumnReads(plan, selector, columns, reader).Visit(selector.Body)!;
        var selectList = string.Join(", ", columns.Select(c => dialect.QuoteIdentifier(c.Property.Column)));
        var read = Expression.Lambda<Func<DbDataReader, object>>(Expression.Convert(body, typeof(object)), reader).Compile();
        return new Projection(selectList, read);
    }

    // Replaces each x.Column with a typed read of its ordinal; refuses anything else that touches x or captures values.
    private sealed class ColumnReads(EntityPlan plan, LambdaExpression selector, List<ParameterBinding> columns, ParameterExpression reader) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node switch
        {
            null => null,
            MemberExpression member when member.Expression == selector.Parameters[0] => Read(member),
            MemberExpression { Expression: MemberExpression owner } member when owner.Expression == selector.Parameters[0] => ReadMember(owner, member),
            NewExpression or MemberInitExpression or UnaryExpression { NodeType: ExpressionType.Convert } => base.Visit(node),
            _ => throw new NotSupportedException(
                $"Select({selector}) may only build an object from mapped columns of {plan.Entity.Name} (new Dto {{ A = x.A }}, new Record(x.A, x.B) or x => x.A); '{node}' is not one. Compute it after the query, or write the SQL with Raw(...)."),
        };

        private Expression Read(MemberExpression member)
        {
            var column = plan.Properties.FirstOrDefault(p => p.Name == member.Member.Name);
            if (column is not null)
            {
                return ReadColumn(column);
            }

            // A whole value object (x => x.Total): its members' columns, made into the object as the entity's reader does.
            var members = plan.Properties.Where(p => p.Property.Owner?.Navigation == member.Member).ToList();
            if (members.Count == 0)
            {
                throw new NotSupportedException($"{plan.Entity.Name}.{member.Member.Name} is not a mapped column, so Select({selector}) cannot read it.");
            }

            var reads = members.ConvertAll(ReadColumn);
            var values = members.Select((m, i) => (Member: m.Property, Value: Expression.Variable(reads[i].Type, m.Property.Property.Name))).ToList();
            var assignments = values.Select((v, i) => (Expression)Expression.Assign(v.Value, reads[i]));
            return Expression.Block(values.Select(v => v.Value), [.. assignments, RowReaders.ValueObject(members[0].Property.Owner!, values)]);
        }

        // One member of a value object (x => x.Total.Amount): its own column.
        private Expression ReadMember(MemberExpression owner, MemberExpression member) =>
            ReadColumn(plan.Properties.FirstOrDefault(p => p.Property.Name == $"{owner.Member.Name}.{member.Member.Name}")
                ?? throw new NotSupportedException($"{plan.Entity.Name}.{owner.Member.Name}.{member.Member.Name} is not a mapped column, so Select({selector}) cannot read it."));

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
