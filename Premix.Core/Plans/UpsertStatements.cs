using System.Linq.Expressions;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// The upsert and insert-or-ignore statements of one entity, one per conflict target (the key, then each unique index of
/// the mapping) and mode, each built the first time it is used and then reused; and, per unique index, the read of the key of
/// the row an ignored insert found there.
/// </summary>
internal sealed class UpsertStatements
{
    private readonly EntityModel _entity;
    private readonly IReadOnlyList<ConflictTarget> _targets;
    private readonly Func<ConflictTarget, bool, int, SqlStatement> _build;
    private readonly Func<ConflictTarget, SqlStatement> _buildKeyRead;
    private readonly SqlStatement?[] _statements;
    private readonly SqlStatement?[] _keyReads;
    private readonly Func<ConflictTarget, bool, RowListStatements?> _buildRowLists;
    private readonly Lazy<RowListStatements?>[] _rowLists;
    private readonly Lazy<SqlStatement?>[] _arrays;

    public UpsertStatements(EntityModel entity, IReadOnlyList<ConflictTarget> targets, Func<ConflictTarget, bool, int, SqlStatement> build, Func<ConflictTarget, SqlStatement> buildKeyRead, Func<ConflictTarget, bool, RowListStatements?> buildRowLists, Func<ConflictTarget, bool, SqlStatement?> buildArrays)
    {
        _entity = entity;
        _targets = targets;
        _build = build;
        _buildKeyRead = buildKeyRead;
        _statements = new SqlStatement?[targets.Count * 2 * Forms];
        _keyReads = new SqlStatement?[targets.Count];
        _buildRowLists = buildRowLists;
        _rowLists = new Lazy<RowListStatements?>[targets.Count * 2];
        for (var i = 0; i < _rowLists.Length; i++)
        {
            var (target, ignore) = (i / 2, i % 2 == 1);
            _rowLists[i] = new Lazy<RowListStatements?>(() => _buildRowLists(_targets[target], ignore));
        }

        _arrays = new Lazy<SqlStatement?>[targets.Count * 2];
        for (var i = 0; i < _arrays.Length; i++)
        {
            var (target, ignore) = (i / 2, i % 2 == 1);
            _arrays[i] = new Lazy<SqlStatement?>(() => buildArrays(_targets[target], ignore));
        }
    }

    /// <summary>How many forms of each statement a dialect may render (<see cref="Providers.IUpsertFormsDialect"/>).</summary>
    private const int Forms = 2;

    /// <summary>
    /// The statement for the target <paramref name="target"/> (an index from <see cref="Resolve"/>), in the
    /// <paramref name="form"/> the server takes (<see cref="Providers.IUpsertFormsDialect.UpsertForm"/>; 0 on most engines).
    /// </summary>
    public SqlStatement For(int target, bool ignoreConflicts, int form = 0)
    {
        var slot = (((target * 2) + (ignoreConflicts ? 1 : 0)) * Forms) + form;
        return Volatile.Read(ref _statements[slot]) ?? Interlocked.CompareExchange(ref _statements[slot], _build(_targets[target], ignoreConflicts, form), null) ?? _statements[slot]!;
    }

    /// <summary>The many-row statements of the target and mode, where the dialect has them for this entity (see <see cref="Providers.IRowListInsertDialect.UpsertRows"/>); otherwise <see langword="null"/>.</summary>
    public RowListStatements? RowLists(int target, bool ignoreConflicts) => _rowLists[(target * 2) + (ignoreConflicts ? 1 : 0)].Value;

    /// <summary>The upsert of many rows from one array per column, where the dialect has one (see <see cref="Providers.IArrayWriteDialect.UpsertFromArrays"/>); otherwise <see langword="null"/>.</summary>
    public SqlStatement? Arrays(int target, bool ignoreConflicts) => _arrays[(target * 2) + (ignoreConflicts ? 1 : 0)].Value;

    /// <summary>
    /// <c>SELECT key FROM table WHERE</c> the columns of the unique index at <paramref name="target"/> equal the entity's values:
    /// the key of the row an insert-or-ignore found there (never the key target, whose key is the entity's own).
    /// </summary>
    public SqlStatement KeyRead(int target) =>
        Volatile.Read(ref _keyReads[target]) ?? Interlocked.CompareExchange(ref _keyReads[target], _buildKeyRead(_targets[target]), null) ?? _keyReads[target]!;

    /// <summary>The properties of the conflict target at <paramref name="target"/>.</summary>
    public IReadOnlyList<ParameterBinding> TargetProperties(int target) => _targets[target].Properties;

    /// <summary>Whether the target at <paramref name="target"/> is the entity's key (which identifies the tracked instance).</summary>
    public static bool IsKey(int target) => target == 0;

    /// <summary>
    /// The conflict target that <paramref name="on"/> names: the key when it is <see langword="null"/>, otherwise the key or
    /// the unique index over exactly the properties it names (in any order).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="on"/> names no mapped properties, or no key or unique index has exactly those; or the key is generated, so it never conflicts; or it names a unique index of an entity whose key has several columns, which could not be read back.</exception>
    public int Resolve(LambdaExpression? on, string operation)
    {
        var name = _entity.Name;
        if (on is null)
        {
            return _entity.GeneratedKey is null
                ? 0
                : throw new ArgumentException(
                    $"{operation} of {name} needs a conflict target: its key {_entity.GeneratedKey.Name} is generated by the database, so a new row never conflicts on it. "
                    + $"Name a unique index ({Available()}), e.g. {operation}(entity, on: x => x.{UniqueExample()}), or use Update for a row you know exists.",
                    nameof(on));
        }

        var members = MemberExpressions.Properties(on)
            ?? throw new ArgumentException($"{operation}(on: {on}) does not name properties of {name}. Write on: x => x.Email or on: x => new {{ x.A, x.B }}.", nameof(on));
        var properties = new List<PropertyModel>(members.Count);
        foreach (var member in members)
        {
            properties.Add(_entity.Properties.FirstOrDefault(p => p.Property == member)
                ?? throw new ArgumentException($"{operation}(on: {on}): {name}.{member.Name} is not a mapped property of {name}.", nameof(on)));
        }

        for (var i = 0; i < _targets.Count; i++)
        {
            if (_targets[i].Properties.Count == properties.Count && properties.TrueForAll(p => _targets[i].Properties.Any(b => b.Property == p)))
            {
                if (i == 0 && _entity.GeneratedKey is not null)
                {
                    return Resolve(null, operation); // the same refusal as without a target
                }

                if (i != 0 && _entity.Key.Count > 1)
                {
                    throw new ArgumentException(
                        $"{operation}(on: {on}) of {name}: the row found by {_targets[i].Description} may have another key than the one given, and Premix reads back a key of one column only, "
                        + $"so this entity and new children referencing it would keep a key of ({string.Join(", ", _entity.Key.Select(k => k.Name))}) the row does not have. Upsert on the key, or load the row by the index and change it.",
                        nameof(on));
                }

                return i;
            }
        }

        throw new ArgumentException(
            $"{operation}(on: {on}): {name} has no key or unique index over exactly ({string.Join(", ", properties.Select(p => p.Name))}), so the database could not find the existing row by it. "
            + $"Declare one in the mapping (HasIndex(x => ...).IsUnique()) or name one of: {Available()}.",
            nameof(on));
    }

    private string Available() => string.Join("; ", _targets.Select(t => t.Description));

    private string UniqueExample() => _targets.Count > 1 ? _targets[1].Properties[0].Property.Name : "Email";
}
