using System.Data;
using Dapper;
using Premix.Plans;

namespace Premix.Execution;

/// <summary>Binds a compiled statement's parameters straight from an entity (or a key value), with no per-call reflection.</summary>
internal sealed class EntityParameters : SqlMapper.IDynamicParameters
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

    public static EntityParameters ForKey(SqlStatement statement, object key) => new(statement.Parameters, null, key);

    public void AddParameters(IDbCommand command, SqlMapper.Identity identity)
    {
        for (var i = 0; i < _bindings.Count; i++)
        {
            var binding = _bindings[i];
            binding.AddTo(command, Value(binding));
        }
    }

    /// <summary>Pairs of name and value for logs and messages, with sensitive values masked.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe()
    {
        foreach (var binding in _bindings)
        {
            yield return new(binding.Name, binding.IsSensitive ? SensitiveData.Mask : Value(binding));
        }
    }

    /// <summary>The values of sensitive parameters, so they can be scrubbed from driver messages.</summary>
    public IEnumerable<string> SensitiveValues()
    {
        foreach (var binding in _bindings)
        {
            if (binding.IsSensitive && Value(binding) is not DBNull and { } value && value.ToString() is { Length: > 0 } text)
            {
                yield return text;
            }
        }
    }

    private object Value(ParameterBinding binding) => _entity is not null ? binding.ReadFrom(_entity) : binding.ToDatabase(_key);
}
