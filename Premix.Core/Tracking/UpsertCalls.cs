namespace Premix.Tracking;

/// <summary>What Upsert and InsertOrIgnore do when called, for Premix's repository and the testing fake alike.</summary>
internal static class UpsertCalls
{
    /// <summary>Checks the call and marks each entity for the commit; on bad input nothing is marked.</summary>
    /// <exception cref="ArgumentException">No entity, a null entity, or a conflict target that fits no key or unique index.</exception>
    /// <exception cref="InvalidOperationException">An entity is in the list twice, or is (or has the key of) one this unit of work already tracks.</exception>
    /// <exception cref="NotSupportedException">The entity shares a table with other classes (table-per-hierarchy).</exception>
    public static UpsertOutcome[] Track<T>(ChangeTracker tracker, Plans.EntityPlan plan, IEnumerable<T> entities, System.Linq.Expressions.LambdaExpression? on, bool ignoreConflicts)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entities);
        var operation = ignoreConflicts ? "InsertOrIgnore" : "Upsert";
        if (plan.Inheritance is not null)
        {
            throw new NotSupportedException(
                $"{operation} of {plan.Entity.Name}: its table is shared by a class hierarchy (HasDiscriminator), where an update on a conflict could overwrite a row of another class. Use Add and Update for these entities.");
        }

        var target = plan.Upserts.Resolve(on, operation);
        var list = entities as IReadOnlyList<T> ?? entities.ToList();
        var seen = new HashSet<object>(list.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"{operation}: entity {i + 1} of {list.Count} is null; nothing was marked for the commit.", nameof(entities));
            }

            if (!seen.Add(list[i]))
            {
                throw new InvalidOperationException($"{operation}: entity {i + 1} of {list.Count} is the same {plan.Entity.Name} instance as an earlier one in the list; nothing was marked for the commit. Pass each entity once.");
            }

            tracker.CheckUpsert(list[i], plan, target); // every entity checked before any is marked, so a refusal leaves nothing for the next commit
        }

        var outcomes = new UpsertOutcome[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var request = new UpsertRequest(target, ignoreConflicts);
            tracker.Upsert(list[i], plan, request);
            outcomes[i] = request.Outcome;
        }

        return outcomes;
    }
}
