using Premix.Mapping;
using Premix.Providers;

namespace Premix.Execution;

/// <summary>
/// The constraints the mapping declares, by the names the engines report them under, so a violation the engine names
/// only by constraint (PostgreSQL's unique violations, MariaDB's duplicate keys) still says its table and columns. Built
/// once at startup; a constraint the mapping does not know is reported with what the engine said alone.
/// </summary>
internal sealed class ModelConstraints
{
    // Values are a class, not value tuples: a dictionary over a value tuple is CoreLib's generic code over a value type, which
    // ReadyToRun cannot precompile into Premix's image, so every start JIT-compiled its constructor and TryAdd.
    private readonly Dictionary<string, Known> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Known> _keysByEntity = new(StringComparer.Ordinal);

    public ModelConstraints(Model model)
    {
        foreach (var entity in model.Entities)
        {
            var key = entity.Key.Select(k => k.Column).ToArray();
            var primaryKey = new Known(entity.Table, key, null);
            _keysByEntity[entity.Name] = primaryKey;
            _byName.TryAdd(entity.Table + "_pkey", primaryKey); // PostgreSQL's name for a primary key
            foreach (var index in entity.Indexes.Where(i => i.IsUnique))
            {
                _byName.TryAdd(index.Name, new Known(entity.Table, index.Properties.Select(p => p.Column).ToArray(), null));
            }
        }

        foreach (var foreignKey in model.ForeignKeys.Where(k => k.IsEnforcedByDatabase))
        {
            var dependent = model.Get(foreignKey.Dependent);
            var principal = model.Get(foreignKey.Principal);
            // The name the schema sync and migrations give a relation's constraint (Premix.Migrations' DesiredSchema).
            var columns = foreignKey.Properties.Select(p => p.Column).ToArray();
            _byName.TryAdd($"fk_{dependent.Table}_{string.Join("_", columns)}", new Known(dependent.Table, columns, principal.Table));
        }
    }

    /// <summary>Fills the table, columns and referenced table the engine left out, from the mapping, where it knows the constraint.</summary>
    public ConstraintViolation Complete(ConstraintViolation violation, string? entity)
    {
        if (violation.Table is not null && violation.Columns.Count > 0)
        {
            return violation;
        }

        // MariaDB names every primary key PRIMARY, so it is the statement's entity that tells which one.
        if (string.Equals(violation.Constraint, "PRIMARY", StringComparison.Ordinal) && entity is not null && _keysByEntity.TryGetValue(entity, out var key))
        {
            return violation with { Table = violation.Table ?? key.Table, Columns = violation.Columns.Count > 0 ? violation.Columns : key.Columns };
        }

        if (violation.Constraint is null || !_byName.TryGetValue(violation.Constraint, out var known)
            || (violation.Table is not null && !string.Equals(violation.Table, known.Table, StringComparison.OrdinalIgnoreCase)))
        {
            return violation;
        }

        return violation with
        {
            Table = violation.Table ?? known.Table,
            Columns = violation.Columns.Count > 0 ? violation.Columns : known.Columns,
            ReferencedTable = violation.ReferencedTable ?? known.Referenced,
        };
    }

    // A plain class: a record would add equality, ToString and EqualityContract members nothing uses to a start's metadata.
    private sealed class Known(string table, string[] columns, string? referenced)
    {
        public string Table { get; } = table;

        public string[] Columns { get; } = columns;

        public string? Referenced { get; } = referenced;
    }
}
