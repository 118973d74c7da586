using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>
/// Binds one many-row statement (<see cref="RowListStatements"/>): for each segment in turn, each entity's values of the
/// segment's bindings, under positional placeholders (no name for the driver to look up per value).
/// </summary>
internal sealed class RowListParameters(RowListStatements statements, IReadOnlyList<object> entities) : IBatchParameters
{
    public void AddTo(DbCommand command) => Add(command.Parameters, command.CreateParameter);

    /// <summary>The same for one statement of a batch.</summary>
    public void AddTo(DbBatchCommand command) => Add(command.Parameters, command.CreateParameter);

    /// <summary>Each column's values as <see cref="ArrayParameters"/> shows them, with sensitive columns masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe() => new ArrayParameters(Distinct(), entities).Describe();

    /// <summary>The values of sensitive columns, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues()
    {
        var bindings = Distinct();
        return entities.SelectMany(e => EntityParameters.SensitiveValues(bindings, e));
    }

    // Each value on a copy of its column's typed parameter where the driver can copy one (see TypedParameter).
    private void Add(DbParameterCollection parameters, Func<DbParameter> create)
    {
        foreach (var segment in statements.Segments)
        {
            var typed = new TypedParameter[segment.Length];
            for (var row = 0; row < entities.Count; row++)
            {
                var entity = entities[row];
                for (var column = 0; column < segment.Length; column++)
                {
                    var value = segment[column].ReadFrom(entity);
                    segment[column].AddPositional(parameters, typed[column].For(value, create), value);
                }
            }
        }
    }

    // Each binding once (an UPDATE names the key in every segment).
    private ParameterBinding[] Distinct() => [.. statements.Segments.SelectMany(s => s).Distinct()];

    /// <summary>
    /// One column's parameter, typed once per statement and copied for each of its values. A driver infers the type of an
    /// untyped parameter from every value set on it, and MySqlConnector's inference searches its type table per value:
    /// three quarters of the client's time binding a many-row statement, as profiled. A copy (<see cref="ICloneable"/>) of a
    /// parameter whose type is set (to the very type inferred from the column's first value) keeps that type, so each value
    /// of the same .NET type is bound as the driver would have bound it, without the search, as hand-written code that sets
    /// <c>MySqlDbType</c> does. Row lists are written only where the dialect lists rows
    /// (<see cref="Providers.IRowListInsertDialect"/>: MySQL and MariaDB), so only MySqlConnector's parameters are copied
    /// here. NULL, an enum (MySqlConnector writes an enum of a typed parameter as its name) and a value of another type get
    /// a parameter of their own.
    /// </summary>
    private struct TypedParameter
    {
        private DbParameter? _template;
        private Type? _type;

        public DbParameter For(object value, Func<DbParameter> create)
        {
            var type = value.GetType();
            if (type == _type)
            {
                return (DbParameter)((ICloneable)_template!).Clone();
            }

            var parameter = create();
            if (_type is null && parameter is ICloneable && value is not (DBNull or Enum))
            {
                parameter.Value = value; // the driver infers the type once ...
                parameter.DbType = parameter.DbType; // ... and keeps it for the copies
                (_template, _type) = (parameter, type);
                return (DbParameter)((ICloneable)parameter).Clone();
            }

            return parameter;
        }
    }
}
