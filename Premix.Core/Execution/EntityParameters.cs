using System.Data;
using System.Data.Common;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>Binds a compiled statement's parameters straight from an entity (or a key value), with no per-call reflection.</summary>
internal sealed class EntityParameters : IBatchParameters
{
    private readonly IReadOnlyList<ParameterBinding> _bindings;
    private readonly object? _entity;
    private readonly object? _key;

    private EntityParameters(IReadOnlyList<ParameterBinding> bindings, object? entity, object? key)
    {
        _bindings = bindings;
        _entity = entity;
        _key = key;
    }

    public static EntityParameters ForEntity(SqlStatement statement, object entity) => new(statement.Parameters, entity, null);

    /// <summary>Binds a key lookup: the single key value, or for a composite key its values in the statement's parameter order.</summary>
    public static EntityParameters ForKey(SqlStatement statement, object key) => new(statement.Parameters, null, key);

    public void AddTo(DbCommand command)
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            _bindings[i].AddTo(command, Value(i));
        }
    }

    /// <inheritdoc />
    public bool SetValuesOn(DbParameterCollection parameters, ref int at)
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            if (!KeptParameters.Set(parameters, ref at, _bindings[i].BoundName, Value(i)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Puts this entity's values into <paramref name="command"/>'s parameters, bound before by another entity of the same statement.</summary>
    public void SetValuesOn(DbCommand command) => SetValues(_bindings, _entity!, command.Parameters);

    /// <summary>Puts <paramref name="entity"/>'s values into a command's existing <paramref name="parameters"/> (bound before by another entity of the same statement).</summary>
    public static void SetValues(IReadOnlyList<ParameterBinding> bindings, object entity, DbParameterCollection parameters)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            parameters[i].Value = bindings[i].ReadFrom(entity);
        }
    }

    /// <summary>Binds the parameters onto a command of a batch.</summary>
    public void AddTo(DbBatchCommand command)
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            _bindings[i].AddTo(command, Value(i));
        }
    }

    /// <summary>Pairs of name and value for logs and messages, with sensitive values masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe()
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            yield return new(_bindings[i].Name, _bindings[i].IsSensitive ? SensitiveData.Mask : Value(i));
        }
    }

    /// <summary>The values of sensitive parameters, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues()
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            if (_bindings[i].IsSensitive && Text(Value(i)) is { } text)
            {
                yield return text;
            }
        }
    }

    /// <summary>The values of the sensitive <paramref name="bindings"/> read from <paramref name="entity"/>, as text.</summary>
    public static IEnumerable<string> SensitiveValues(IReadOnlyList<ParameterBinding> bindings, object entity)
    {
        foreach (var binding in bindings)
        {
            if (binding.IsSensitive && Text(binding.ReadFrom(entity)) is { } text)
            {
                yield return text;
            }
        }
    }

    private static string? Text(object value) => value is not DBNull && value.ToString() is { Length: > 0 } text ? text : null;

    private object Value(int index) =>
        _entity is not null ? _bindings[index].ReadFrom(_entity) : _bindings[index].ToDatabase(_key is object?[] parts ? parts[index] : _key);
}
