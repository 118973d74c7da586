namespace Premix;

/// <summary>
/// What an <see cref="IRepository{T}.Upsert(T, System.Linq.Expressions.Expression{Func{T, object}})"/> or
/// <see cref="IRepository{T}.InsertOrIgnore(T, System.Linq.Expressions.Expression{Func{T, object}})"/> did, known once the
/// unit of work has committed.
/// </summary>
public sealed class UpsertOutcome
{
    /// <summary>Whether the commit that wrote (or ignored) the entity has succeeded; until then <see cref="Inserted"/> is <see langword="null"/>.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>
    /// <see langword="true"/>: a new row was inserted. <see langword="false"/>: the row existed, and an upsert updated it or an
    /// insert-or-ignore left it as it was. <see langword="null"/>: not committed yet, or the engine cannot tell, for an
    /// insert as for an update: an upsert of an entity without a version column on SQLite; and on MySQL/MariaDB an upsert of
    /// an entity with a generated key and no version column, unless the update changed the row (then
    /// <see langword="false"/>). See docs/unit-of-work.md.
    /// </summary>
    public bool? Inserted { get; private set; }

    internal void Publish(bool? inserted)
    {
        Inserted = inserted;
        IsCommitted = true;
    }
}
