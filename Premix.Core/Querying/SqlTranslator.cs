using System.Collections;
using System.Linq.Expressions;
using System.Text;
using Premix.Plans;
using Premix.Providers;

namespace Premix.Querying;

/// <summary>
/// Translates the supported subset of C# predicates into SQL over one entity's columns. Every value becomes a parameter
/// (<c>@pN</c>, N its slot); anything outside the subset throws <see cref="NotSupportedException"/>: nothing is ever
/// evaluated on the client instead.
/// </summary>
internal sealed class SqlTranslator(EntityPlan plan, ISqlDialect dialect, QuerySlots slots, IReadOnlyList<string>? slotNames = null)
{
    private readonly Dictionary<string, ParameterBinding> _columns = plan.Properties.ToDictionary(p => p.Property.Name); // Money.Amount for a value object's member
    private static readonly System.Reflection.PropertyInfo ArrayLengthProperty = typeof(Array).GetProperty(nameof(Array.Length))!;
    private LambdaExpression _lambda = null!;

    /// <summary>How to bind each slot, filled as the translation meets it.</summary>
    public SlotBinding?[] Bindings { get; } = new SlotBinding?[slots.Nodes.Count];

    public void Predicate(LambdaExpression lambda, StringBuilder sql)
    {
        _lambda = lambda;
        WriteCondition(lambda.Body, sql);
    }

    public string OrderingColumn(LambdaExpression key)
    {
        _lambda = key;
        return Comparable(Column(key.Body) ?? throw Unsupported(key.Body)).Sql;
    }

    /// <summary>The SET list of a bulk update: pairs of (column, value) from <see cref="BulkUpdate{T}.ToLambda"/>.</summary>
    public string SetClause(LambdaExpression assignments)
    {
        _lambda = assignments;
        var pairs = ((NewArrayExpression)assignments.Body).Expressions;
        var sql = new StringBuilder();
        for (var i = 0; i < pairs.Count; i += 2)
        {
            var column = Column(pairs[i]) ?? throw new NotSupportedException($"Set({pairs[i]}) must name a mapped property of {plan.Entity.Name}.");
            if (column.Property.IsKey)
            {
                throw new NotSupportedException($"{plan.Entity.Name}.{column.Name} is the key; a bulk update cannot change keys.");
            }

            if (column.Property.Property == plan.Filters.TenantProperty)
            {
                throw new NotSupportedException($"{plan.Entity.Name}.{column.Name} is the tenant column; a bulk update cannot move rows to another tenant.");
            }

            sql.Append(sql.Length == 0 ? string.Empty : ", ").Append(ColumnSql(column)).Append(" = ");
            WriteValue(pairs[i + 1], column, sql, assigned: true);
        }

        return sql.ToString();
    }

    // A value computed by the database: a parameter, a column, or arithmetic over them. An assigned parameter (the whole
    // value, not an operand) is checked against the column's rules before the statement is sent.
    private void WriteValue(Expression node, ParameterBinding target, StringBuilder sql, bool assigned = false)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert && Slot(node) < 0)
        {
            node = convert.Operand;
        }

        if (Slot(node) is var slot and >= 0)
        {
            Bindings[slot] = new SlotBinding(target, assigned ? SlotKind.Assigned : SlotKind.Value);
            sql.Append(SlotName(slot));
        }
        else if (Column(node) is { } column)
        {
            sql.Append(ColumnSql(column));
        }
        else if (node is BinaryExpression { NodeType: ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply or ExpressionType.Divide } arithmetic
                 && arithmetic.Left.Type != typeof(string))
        {
            sql.Append('(');
            WriteValue(arithmetic.Left, target, sql);
            sql.Append(arithmetic.NodeType switch
            {
                ExpressionType.Add => " + ",
                ExpressionType.Subtract => " - ",
                ExpressionType.Multiply => " * ",
                _ => " / ",
            });
            WriteValue(arithmetic.Right, target, sql);
            sql.Append(')');
        }
        else
        {
            throw Unsupported(node);
        }
    }

    private void WriteCondition(Expression node, StringBuilder sql)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                sql.Append('(');
                WriteCondition(logical.Left, sql);
                sql.Append(logical.NodeType == ExpressionType.AndAlso ? " AND " : " OR ");
                WriteCondition(logical.Right, sql);
                sql.Append(')');
                return;
            case BinaryExpression comparison when Operators.TryGetValue(comparison.NodeType, out _):
                WriteComparison(comparison, sql);
                return;
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                sql.Append("NOT (");
                WriteCondition(not.Operand, sql);
                sql.Append(')');
                return;
            case MethodCallExpression call:
                WriteCall(call, sql);
                return;
            case MemberExpression { Member.Name: "HasValue" } hasValue when Column(hasValue.Expression!) is { } nullable:
                sql.Append(ColumnSql(nullable)).Append(" IS NOT NULL");
                return;
            case var _ when (node.Type == typeof(bool) || node.Type == typeof(bool?)) && Column(node) is { } flag:
                sql.Append(ColumnSql(flag)).Append(" = TRUE");
                return;
            case var _ when Slot(node) is var slot and >= 0:
                Bindings[slot] = new SlotBinding(null, SlotKind.Value);
                sql.Append('@').Append('p').Append(slot).Append(" = TRUE"); // a constant or captured bool: the SQL does not change with its value
                return;
            default:
                throw Unsupported(node);
        }
    }

    private void WriteComparison(BinaryExpression comparison, StringBuilder sql)
    {
        var op = Operators[comparison.NodeType];
        var (left, right) = (Column(comparison.Left), Column(comparison.Right));
        if (left is not null && right is not null)
        {
            if ((left.Property.StoresJson ? left : right.Property.StoresJson ? right : null) is { } document)
            {
                throw WholeDocument(document, comparison);
            }

            sql.Append(Comparable(left).Sql).Append(' ').Append(op).Append(' ').Append(Comparable(right).Sql);
            return;
        }

        var (column, value, mirrored) = left is not null ? (left, comparison.Right, false) : (right, comparison.Left, true);
        var slot = Slot(value);
        if (column is null || slot < 0)
        {
            throw Unsupported(comparison);
        }

        if (IsNullSlot(slot) && comparison.NodeType is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            sql.Append(ColumnSql(column)).Append(comparison.NodeType == ExpressionType.Equal ? " IS NULL" : " IS NOT NULL");
            return;
        }

        if (column.Property.StoresJson)
        {
            throw WholeDocument(column, comparison);
        }

        var (columnSql, conversion) = Comparable(column);
        Bindings[slot] = new SlotBinding(column, SlotKind.Value, conversion, IsStored: ReadsStoredMember(left is not null ? comparison.Left : comparison.Right));
        sql.Append(columnSql).Append(' ').Append(mirrored ? Mirror(op) : op).Append(' ').Append(SlotName(slot));
    }

    // Equal documents need not have equal text (member order, spacing), and the engines compare JSON differently (jsonb by
    // value, MySQL's JSON type by its own rules, MariaDB and SQLite as text), so only null-ness of a whole document is translated.
    private NotSupportedException WholeDocument(ParameterBinding document, BinaryExpression comparison) =>
        new($"{plan.Entity.Name}.{document.Name} is stored as JSON, and '{comparison}' in '{_lambda}' compares the whole document, which the engines do not compare alike. "
            + $"Compare its members ({document.Name}.Member == value), test it against null ({document.Name} == null, != null), or use Raw(...).");

    private void WriteCall(MethodCallExpression call, StringBuilder sql)
    {
        if (call.Method.DeclaringType == typeof(string) && call.Arguments.Count == 1 && call.Object is not null && Column(call.Object) is { } text
            && Slot(call.Arguments[0]) is var pattern and >= 0
            && call.Method.Name is nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.Contains) && call.Arguments[0].Type == typeof(string))
        {
            var kind = call.Method.Name switch
            {
                nameof(string.StartsWith) => SlotKind.StartsWith,
                nameof(string.EndsWith) => SlotKind.EndsWith,
                _ => SlotKind.Contains,
            };
            Bindings[pattern] = new SlotBinding(text, kind);
            sql.Append(ColumnSql(text)).Append(" LIKE ").Append(SlotName(pattern)).Append(" ESCAPE '").Append(LikePattern.EscapeCharacter).Append('\'');
            return;
        }

        // list.Contains(x.Id): IN with one parameter per element.
        var (source, item) = ContainsCall.Parts(call);
        if (source is not null && typeof(IEnumerable).IsAssignableFrom(source.Type) && Column(item!) is { } member && Slot(source) is var list and >= 0)
        {
            WriteInList(call, member, list, ReadsStoredMember(item!), sql);
            return;
        }

        // x.Tags.Contains(tag) on an array column: the value is one element, compared with each of the column's.
        if (source is not null && Column(source) is { Property.ArrayElementType: not null } arrayColumn && Slot(item!) is var element and >= 0)
        {
            if (IsNullSlot(element))
            {
                throw new NotSupportedException($"'{call}' in '{_lambda}' looks for null in the array {plan.Entity.Name}.{arrayColumn.Name}; SQL's = ANY never matches a null element. Look for a non-null value, or use Raw(...) with array_position(column, NULL).");
            }

            var condition = dialect.ArrayContains(ColumnSql(arrayColumn), arrayColumn.Property, SlotName(element));
            Bindings[element] = new SlotBinding(arrayColumn, SlotKind.Element, Element: condition);
            sql.Append(condition.Sql);
            return;
        }

        // An engine's own method on a column and a value (PostgreSQL's range.Contains(value): "Period" @> @p0), the value
        // converted and typed as the column's contents are.
        if (call is { Object: null, Arguments: [var target, var argument] } && Column(target) is { } operand && Slot(argument) is var value and >= 0
            && dialect.ColumnMethod(call.Method, operand.Property, ColumnSql(operand), SlotName(value)) is { } translated)
        {
            Bindings[value] = new SlotBinding(operand, SlotKind.Element, Element: translated);
            sql.Append(translated.Sql);
            return;
        }

        throw Unsupported(call);
    }

    // The list is one parameter where the dialect binds lists (one SQL text for every length), or expanded into one parameter
    // per value when bound. SQL's IN can also be unknown where C#'s Contains is true or false: a null column is in the list
    // exactly when the list holds a null, so NOT (...) keeps C#'s meaning too.
    private void WriteInList(MethodCallExpression call, ParameterBinding column, int slot, bool isStored, StringBuilder sql)
    {
        var values = slots.Values[slot] ?? throw new InvalidOperationException($"The list of '{call}' in '{_lambda}' is null. Pass an empty list to match no row.");
        var (columnSql, conversion) = Comparable(column);
        var placeholder = SlotName(slot);
        var list = dialect.InList(columnSql, column.Property, placeholder);
        Bindings[slot] = new SlotBinding(column, SlotKind.List, conversion, list, isStored);
        var condition = list?.Sql ?? columnSql + " IN " + placeholder;
        if (column.Property.IsRequired || column.Property.IsKey)
        {
            sql.Append(condition);
        }
        else
        {
            sql.Append('(').Append(ColumnSql(column)).Append(QuerySlots.HoldsNull(values) ? " IS NULL OR " : " IS NOT NULL AND ").Append(condition).Append(')');
        }
    }

    /// <summary>
    /// The mapped column a node reads from the row (through conversions and Nullable.Value), or null. Reading into a converted
    /// value is the column itself when the member is what the converter stores (<c>c.Id.Value</c> of a strongly typed id),
    /// and is refused otherwise: the database holds only the stored value.
    /// </summary>
    private ParameterBinding? Column(Expression node)
    {
        node = Unwrapped(node);
        if (OwnedColumn(node) is { } memberColumn)
        {
            return memberColumn;
        }

        if (JsonPathOf(node) is { } json)
        {
            return IsValuePath(json.Path) ? JsonMember(json.Document.Property, json.Path) : null;
        }

        if (node is MemberExpression { Member: System.Reflection.PropertyInfo attribute, Expression: { } value } && value != _lambda.Parameters[0]
            && Unwrapped(value) is MemberExpression { Expression: { } owner } && owner == _lambda.Parameters[0] && Column(value) is { Property.CompositeType: { } composite } compositeColumn)
        {
            return composite.Fields.FirstOrDefault(f => f.Property == attribute) is { } field
                ? new ParameterBinding(new Mapping.PropertyModel(attribute, field.Name, isRequired: false) { CompositeValue = compositeColumn.Property }, dialect)
                : throw new NotSupportedException($"{plan.Entity.Name}.{compositeColumn.Name} is stored as the composite type {composite.Name}, which has no attribute for {attribute.Name}, so '{_lambda}' cannot be translated to SQL.");
        }

        if (node is MemberExpression { Expression: { } inner } part && inner != _lambda.Parameters[0] && Column(inner) is { Property.Converter: not null } converted)
        {
            return ConvertedMember.IsStored(converted, part)
                ? converted
                : throw new NotSupportedException($"{plan.Entity.Name}.{converted.Name} is stored through a conversion, so '{part}' in '{_lambda}' cannot be translated to SQL: the column holds only the {converted.Property.StoredType.Name} the converter stores. Compare {converted.Name} itself with a {converted.Property.ValueType.Name}, or use Raw(...).");
        }

        // x.Tags.Length (an ArrayLength node) or x.Tags.Count of an array column: its number of elements, an int column of its own.
        var (length, list) = node switch
        {
            UnaryExpression { NodeType: ExpressionType.ArrayLength, Operand: var array } => (ArrayLengthProperty, array),
            MemberExpression { Member: System.Reflection.PropertyInfo { Name: "Length" or "Count" } count, Expression: { } counted } => (count, counted),
            _ => (null, null),
        };
        if (list is not null && list != _lambda.Parameters[0] && Column(list) is { Property.ArrayElementType: not null } arrayColumn)
        {
            return new ParameterBinding(new Mapping.PropertyModel(length!, arrayColumn.Property.Column, isRequired: false) { ArrayLengthOf = arrayColumn.Property }, dialect);
        }

        if (node is not MemberExpression member || member.Expression != _lambda.Parameters[0])
        {
            return null;
        }

        return _columns.TryGetValue(member.Member.Name, out var column)
            ? column
            : throw new NotSupportedException($"{plan.Entity.Name}.{member.Member.Name} is not a mapped column, so '{_lambda}' cannot be translated to SQL. Filter on mapped properties, or use Raw(...).");
    }

    // Whether a node that reads a column (see Column) reads the stored member of a converted value, so its compared values are stored values already.
    private bool ReadsStoredMember(Expression node) =>
        Unwrapped(node) is MemberExpression { Expression: { } inner } unwrapped && inner != _lambda.Parameters[0] && OwnedColumn(unwrapped) is null && Column(inner) is { Property.Converter: not null };

    // A member of a value object (o.Money.Currency, o.Home.Geo.Lat in a nested one), a column of its own; null for any other node.
    private ParameterBinding? OwnedColumn(Expression node) =>
        node is MemberExpression { Expression: MemberExpression } && MemberPath.Of(node, _lambda.Parameters[0]) is { } path
        && _columns.TryGetValue(path, out var column) && column.Property.Owner is not null
            ? column
            : null;

    private static Expression Unwrapped(Expression node)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        return node is MemberExpression { Member.Name: "Value" } value && Nullable.GetUnderlyingType(value.Expression!.Type) is not null ? value.Expression : node;
    }

    private int Slot(Expression node) => slots.IndexOf(node);

    private bool IsNullSlot(int slot) => slots.Values[slot] is null;

    private string ColumnSql(ParameterBinding column) =>
        column.Property.JsonDocument is { } document
            ? dialect.JsonValue(dialect.QuoteIdentifier(document.Column), column.Property.JsonPath!, Providers.ColumnTypes.StorageType(column.Property))
            : column.Property.ArrayLengthOf is { } array ? dialect.ArrayLength(dialect.QuoteIdentifier(array.Column))
            : column.Property.CompositeValue is { } composite ? $"({dialect.QuoteIdentifier(composite.Column)}).{dialect.QuoteIdentifier(column.Property.Column)}"
            : dialect.QuoteIdentifier(column.Property.Column);

    // A member inside a JSON document at any depth (x.Address.City, x.Address.Geo.City): the document is a column of the
    // entity, the members below it its path, outermost first. Null for any other node, a member of a value object included.
    private (ParameterBinding Document, List<System.Reflection.PropertyInfo> Path)? JsonPathOf(Expression node)
    {
        var path = new List<System.Reflection.PropertyInfo>();
        while (node is MemberExpression { Member: System.Reflection.PropertyInfo member, Expression: { } inner } && inner != _lambda.Parameters[0])
        {
            path.Add(member);
            node = Unwrapped(inner);
        }

        if (path.Count == 0 || node is not MemberExpression { Expression: var entity } document || entity != _lambda.Parameters[0]
            || !_columns.TryGetValue(document.Member.Name, out var column) || !column.Property.StoresJson)
        {
            return null;
        }

        path.Reverse();
        return (column, path);
    }

    // A path that ends in a value and passes only through objects: not x.Address.Geo (an object), nor x.Address.City.Length.
    private static bool IsValuePath(List<System.Reflection.PropertyInfo> path) =>
        Mapping.ScalarTypes.IsSupported(path[^1].PropertyType) && !path.Take(path.Count - 1).Any(p => Mapping.ScalarTypes.IsSupported(p.PropertyType));

    // A member inside a JSON document as a column of its own type, each step named as the document's serializer names it.
    private ParameterBinding JsonMember(Mapping.PropertyModel document, List<System.Reflection.PropertyInfo> path)
    {
        var names = path.ConvertAll(member => member.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), inherit: true) is [System.Text.Json.Serialization.JsonPropertyNameAttribute named] ? named.Name
            : document.JsonOptions?.PropertyNamingPolicy?.ConvertName(member.Name) ?? member.Name);
        var value = path[^1];
        if (!names.TrueForAll(name => System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$")))
        {
            throw new NotSupportedException($"{plan.Entity.Name}.{document.Name} is stored as JSON, and '{_lambda}' reads its member {string.Join(".", path.Select(p => p.Name))} ('{string.Join(".", names)}', a {value.PropertyType.Name}): queries read members whose JSON names are letters, digits and underscores. Use Raw(...) for others.");
        }

        return new ParameterBinding(new Mapping.PropertyModel(value, document.Column, isRequired: false) { JsonDocument = document, JsonPath = string.Join(".", names) }, dialect);
    }

    private (string Sql, Func<object, object>? Conversion) Comparable(ParameterBinding column) =>
        dialect.Comparable(ColumnSql(column), Providers.ColumnTypes.StorageType(column.Property));

    private NotSupportedException Unsupported(Expression node) => new(
        $"Premix cannot translate '{node}' in '{_lambda}' to SQL. Queries support comparisons, &&, ||, !, null checks, Contains on a list (IN) and StartsWith/EndsWith/Contains on strings (LIKE) over mapped properties of {plan.Entity.Name}; write anything else with Raw(...). Nothing is evaluated in memory instead.");

    // A query's values are @p0, @p1, ...; the named query filters appended to statements of fixed text name theirs apart (QueryFilterSet).
    private string SlotName(int slot) => slotNames is null ? SlotNames.Of(slot) : slotNames[slot];

    private static string Mirror(string op) => op switch
    {
        "<" => ">",
        ">" => "<",
        "<=" => ">=",
        ">=" => "<=",
        _ => op,
    };

    private static readonly Dictionary<ExpressionType, string> Operators = new()
    {
        [ExpressionType.Equal] = "=",
        [ExpressionType.NotEqual] = "<>",
        [ExpressionType.LessThan] = "<",
        [ExpressionType.LessThanOrEqual] = "<=",
        [ExpressionType.GreaterThan] = ">",
        [ExpressionType.GreaterThanOrEqual] = ">=",
    };
}
