using Premix.Plans;

namespace Premix.Testing;

/// <summary>
/// The fake's tables: copies of rows by key, in insertion order. A unit of work that runs a bulk statement or commits
/// works on a copy (its transaction) and publishes it whole, so a failed commit leaves nothing behind. The types of a
/// table-per-hierarchy mapping share one table (one key space, one identity counter), and each type sees the rows of its
/// own class and the classes below it, as its SQL's discriminator filter does.
/// </summary>
internal sealed class FakeStore
{
    private readonly Dictionary<EntityPlan, Table> _tables;

    public FakeStore(IEnumerable<EntityPlan> plans)
    {
        _tables = [];
        foreach (var hierarchy in plans.GroupBy(p => p.IdentityType))
        {
            var table = new Table();
            foreach (var plan in hierarchy)
            {
                _tables.Add(plan, table);
            }
        }
    }

    private FakeStore(Dictionary<EntityPlan, Table> tables) => _tables = tables;

    /// <summary>The stored rows of <paramref name="plan"/>, in insertion order; the fake hands out copies, never these.</summary>
    public IEnumerable<object> Rows(EntityPlan plan)
    {
        var rows = _tables[plan].Rows.Values;
        return plan.Inheritance is null ? rows : rows.Where(plan.Entity.ClrType.IsInstanceOfType);
    }

    /// <summary>The stored row of <paramref name="plan"/>'s classes with <paramref name="key"/>, if there is one.</summary>
    public object? Find(EntityPlan plan, EntityKey key) =>
        _tables[plan].Rows.GetValueOrDefault(key) is { } row && (plan.Inheritance is null || plan.Entity.ClrType.IsInstanceOfType(row)) ? row : null;

    /// <summary>Whether the table holds a row with <paramref name="key"/>, of whatever class of its hierarchy.</summary>
    public bool Contains(EntityPlan plan, EntityKey key) => _tables[plan].Rows.ContainsKey(key);

    /// <summary>Stores a copy of <paramref name="entity"/>, replacing the row with its key.</summary>
    public void Put(EntityPlan plan, object entity) => _tables[plan].Rows[plan.KeyOf(entity)] = plan.For(entity).Copy(entity);

    public void Remove(EntityPlan plan, EntityKey key) => _tables[plan].Rows.Remove(key);

    /// <summary>The next generated key of <paramref name="plan"/>: one past the largest ever stored, as an identity column counts.</summary>
    public object NextKey(EntityPlan plan)
    {
        var type = plan.GeneratedKey!.StoredType; // a converted key counts in its stored type
        if (type == typeof(Guid))
        {
            return plan.KeyParameters[0].FromStored(Guid.NewGuid());
        }

        var table = _tables[plan];
        table.LastKey++;
        return plan.KeyParameters[0].FromStored(Convert.ChangeType(table.LastKey, type, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Tells the identity counter of <paramref name="plan"/> about a key stored as given (a seeded row).</summary>
    public void SawKey(EntityPlan plan, object? key)
    {
        if (key is byte or short or int or long)
        {
            var table = _tables[plan];
            table.LastKey = Math.Max(table.LastKey, Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A copy of every table and counter: a transaction's own view.</summary>
    public FakeStore Clone()
    {
        var copies = new Dictionary<Table, Table>();
        return new(_tables.ToDictionary(t => t.Key, t => copies.TryGetValue(t.Value, out var copy) ? copy : copies[t.Value] = t.Value.Clone(t.Key)));
    }

    private sealed class Table
    {
        public OrderedDictionary<EntityKey, object> Rows { get; private init; } = [];

        public long LastKey { get; set; }

        public Table Clone(EntityPlan plan)
        {
            var copy = new Table { LastKey = LastKey, Rows = new OrderedDictionary<EntityKey, object>(Rows.Count) };
            foreach (var (key, row) in Rows)
            {
                copy.Rows.Add(key, plan.For(row).Copy(row)); // each row as its own class
            }

            return copy;
        }
    }
}
