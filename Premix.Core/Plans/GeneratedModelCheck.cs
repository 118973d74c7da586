using Premix.Mapping;
using Premix.Providers;

namespace Premix.Plans;

/// <summary>
/// Compares a generated model with the model the mapping classes build, at startup: first what the generated delegates are
/// wired by (its format, entities, properties, columns, types, how each column is read, relations, features it cannot cover,
/// before any plan is compiled with them), then the SQL of each plan. Every
/// difference is listed, so one start tells everything that changed since <c>premix optimize</c> ran.
/// </summary>
internal static class GeneratedModelCheck
{
    /// <summary>
    /// What differs in the entities and their properties; empty when the generated delegates fit the model.
    /// <paramref name="dynamicCode"/> is <see cref="System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"/>:
    /// without it, a feature the generator refuses cannot run at all (the start also refuses a model without a generated one).
    /// </summary>
    public static List<string> Structure(GeneratedModel generated, Model model, string provider, ISqlDialect dialect, bool dynamicCode)
    {
        var differences = new List<string>();
        if (generated.Format != GeneratedModel.CurrentFormat)
        {
            differences.Add($"It was written by premix optimize in generated-code format {generated.Format}, and this version of Premix reads format {GeneratedModel.CurrentFormat} (what generated code holds has changed: regenerate).");
            return differences; // nothing else it describes can be compared in another format's terms
        }

        if (!string.Equals(generated.Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"It was generated for {generated.Provider}, and this application runs on {provider}: its statements and row readers are another engine's.");
        }

        // An unreadable description has nothing to compare: it is named once, and the entity is left out below.
        foreach (var code in generated.Entities.Where(e => e.Unreadable is not null))
        {
            differences.Add($"The generated description of {code.EntityType.Name} is not one premix optimize writes: {code.Unreadable}; it was edited after premix optimize wrote it: run premix optimize again (docs/aot.md).");
        }

        var mapped = new HashSet<Type>();
        foreach (var entity in model.Entities)
        {
            mapped.Add(entity.ClrType);
            if (generated.Entity(entity.ClrType) is { } code)
            {
                if (code.Unreadable is null)
                {
                    Compare(entity, code, dialect, differences);
                }
            }
            else
            {
                differences.Add($"{entity.Name} is mapped (table {TableOf(entity)}) but is not in the generated model.");
            }
        }

        foreach (var code in generated.Entities.Where(e => !mapped.Contains(e.EntityType) && e.Unreadable is null))
        {
            differences.Add($"{code.EntityType.Name} is in the generated model (table {code.Table}) but is no longer mapped.");
        }

        // A feature the generator refuses (a JSON column added since generation, a converter that now reads a captured local,
        // ...): the generated code reads the entity without it, or with a value it hard-coded at generation, so it cannot
        // run the mapping as it is now. Removing UseGeneratedModel helps only where plans can be compiled.
        var fix = dynamicCode
            ? ": remove UseGeneratedModel while the mapping uses it."
            : $", and while {NativeAotPlans.DynamicCodeOff} a plan without generated code cannot be compiled, so this feature cannot run yet: remove it from the mapping, or {NativeAotPlans.TurnDynamicCodeOn} (docs/aot.md, Native AOT).";
        foreach (var refusal in GenerationRefusals.Find(model.Entities.Where(e => generated.Entity(e.ClrType) is not null)))
        {
            differences.Add($"{refusal} The generated model cannot run it as it is mapped now{fix}");
        }

        return differences;
    }

    /// <summary>
    /// What differs between the statements and named query filters of <paramref name="plans"/> and those the generated model
    /// saw (a filter's SQL is <paramref name="dialect"/>'s).
    /// </summary>
    public static List<string> Statements(GeneratedModel generated, IEnumerable<EntityPlan> plans, ISqlDialect dialect)
    {
        var differences = new List<string>();
        foreach (var plan in plans)
        {
            var code = generated.Entity(plan.Entity.ClrType)!;
            CompareFilters(plan, code, dialect, differences);
            var statements = plan.Statements.ToList();
            var seen = code.Statements;
            for (var i = 0; i < Math.Max(statements.Count, seen.Count); i++)
            {
                var now = i < statements.Count ? statements[i] : null;
                var then = i < seen.Count ? seen[i] : null;
                if (now is null || then is null)
                {
                    differences.Add(now is null
                        ? $"{plan.Entity.Name}: the generated model has a {then!.Name} statement the plan no longer has."
                        : $"{plan.Entity.Name}: the plan has a {now.Name} statement the generated model does not have.");
                }
                else if (now.Name != then.Name || now.Sql != then.Sql || !now.ParameterNames.SequenceEqual(then.Parameters))
                {
                    differences.Add($"{plan.Entity.Name}: its {now.Name} statement is now \"{now.Sql}\" ({string.Join(", ", now.ParameterNames)}); the generated model has {then.Name} \"{then.Sql}\" ({string.Join(", ", then.Parameters)}).");
                }
            }
        }

        return differences;
    }

    // The generated readers read each filter's values in the order of its description: a filter added, removed, renamed or
    // changed (its SQL, a value read, whether only its name lifts it) since generation is listed, matched by name.
    private static void CompareFilters(EntityPlan plan, GeneratedEntity code, ISqlDialect dialect, List<string> differences)
    {
        var entity = plan.Entity;
        var seen = new Dictionary<string, GeneratedFilter>(StringComparer.Ordinal);
        foreach (var generated in code.Filters)
        {
            seen.TryAdd(generated.Name, generated);
        }

        var filters = plan.Filters.Filters;
        var names = new List<string>();
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            if (!GeneratedFilter.IsGenerated(filter))
            {
                continue;
            }

            names.Add(filter.Name);
            string sql;
            try
            {
                sql = plan.Filters.Sql(i, plan, dialect);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
            {
                continue; // a filter that does not translate fails the start as a mapping problem (QueryFilterCheck)
            }

            var values = GeneratedFilter.ValuesOf(filter, entity.ClrType, out _) ?? []; // one that cannot be printed was refused by Structure
            var now = GeneratedFilter.Describe(filter.LiftsOnlyExplicitly, sql, values);
            if (!seen.Remove(filter.Name, out var then))
            {
                differences.Add($"{entity.Name} declares the query filter \"{filter.Name}\" ({now}), which is not in the generated model.");
            }
            else if (then.Shape != now)
            {
                differences.Add($"{entity.Name}'s query filter \"{filter.Name}\" has changed: it is now {now}; the generated model has {then.Shape}.");
            }
        }

        foreach (var then in seen.Values)
        {
            differences.Add($"{entity.Name}: the generated model has the query filter \"{then.Name}\" ({then.Shape}), which the mapping no longer declares.");
        }

        // Same filters in another order: the generated readers are taken by position.
        if (seen.Count == 0 && names.Count == code.Filters.Count && !names.SequenceEqual(code.Filters.Select(f => f.Name)))
        {
            differences.Add($"{entity.Name}'s query filters are declared in the order {string.Join(", ", names)}; the generated model reads them in the order {string.Join(", ", code.Filters.Select(f => f.Name))}.");
        }
    }

    /// <summary>The table as a generated model names it: <c>schema.table</c> or <c>table</c>, unquoted.</summary>
    public static string TableOf(EntityModel entity) => entity.Schema is null ? entity.Table : $"{entity.Schema}.{entity.Table}";

    // Relations are matched by their navigation (a relation without one by its whole shape): the generated navigation
    // accessors are wired to the relation of the same shape, so one added, removed or changed since generation is listed.
    private static void CompareRelations(EntityModel entity, GeneratedEntity code, List<string> differences)
    {
        var generated = code.Relations.ToList();
        foreach (var relation in entity.Relations)
        {
            var shape = GeneratedRelation.ShapeOf(relation);
            var seen = generated.FirstOrDefault(g => g.Shape == shape)
                ?? (relation.Navigation is null ? null : generated.FirstOrDefault(g => g.Navigation == relation.Navigation.Name));
            if (seen is null)
            {
                differences.Add($"{entity.Name} declares the relation {shape}, which is not in the generated model.");
                continue;
            }

            generated.Remove(seen);
            if (seen.Shape != shape)
            {
                differences.Add($"{entity.Name}.{relation.Navigation!.Name} is now the relation {shape}; the generated model has {seen.Shape}.");
            }
            else if (relation.Navigation is { } navigation && seen.SetsNavigation != (navigation.SetMethod is { IsPublic: true }))
            {
                // The generated code sets a navigation only through a setter that was public at generation; one made public
                // since then would be set through a compiled setter, which the generated model promises not to need.
                differences.Add(!seen.SetsNavigation
                    ? $"{entity.Name}.{navigation.Name} now has a public setter; the generated model was generated without one."
                    : $"{entity.Name}.{navigation.Name} no longer has a public setter; the generated model sets it.");
            }
        }

        foreach (var relation in generated)
        {
            differences.Add($"{entity.Name}: the generated model has the relation {relation.Shape}, which the mapping no longer declares.");
        }
    }

    // The generated conversions are the converter's expressions printed as C#: printed again, the text must be the same.
    private static void CompareConverter(EntityModel entity, PropertyModel property, GeneratedProperty seen, List<string> differences)
    {
        var now = property.Converter is { } converter ? ConverterText.Describe(converter, ConverterText.HomeOf(property)) : null;
        if (now == seen.Converter)
        {
            return;
        }

        differences.Add((now, seen.Converter) switch
        {
            (_, null) => $"{entity.Name}.{property.Name} now has a value converter ({now}); the generated model reads it without one.",
            (null, _) => $"{entity.Name}.{property.Name} no longer has a value converter; the generated model converts it ({seen.Converter}).",
            _ => $"{entity.Name}.{property.Name}'s value converter has changed: it is now {now}; the generated model converts it as {seen.Converter}.",
        });
    }

    private static void Compare(EntityModel entity, GeneratedEntity code, ISqlDialect dialect, List<string> differences)
    {
        var before = differences.Count;
        if (code.Table != TableOf(entity))
        {
            differences.Add($"{entity.Name} is mapped to table {TableOf(entity)}; the generated model has {code.Table}.");
        }

        var generated = new Dictionary<string, GeneratedProperty>();
        foreach (var property in code.Properties)
        {
            generated.TryAdd(property.Name, property);
        }

        foreach (var property in entity.Properties)
        {
            if (!generated.TryGetValue(property.Name, out var seen))
            {
                differences.Add($"{entity.Name}.{property.Name} is mapped (column {property.Column}) but is not in the generated model.");
                continue;
            }

            if (seen.Column != property.Column)
            {
                differences.Add($"{entity.Name}.{property.Name} is mapped to column {property.Column}; the generated model has {seen.Column}.");
            }

            if (seen.Type != property.PropertyType)
            {
                differences.Add($"{entity.Name}.{property.Name} is of type {property.PropertyType.Name}; the generated model has {seen.Type.Name}.");
            }
            else if (GenerationRefusals.Property(property) is null) // a refused property is reported once, by Structure
            {
                if (ReadShape.Of(property, dialect) is var shape && shape != seen.ReadShape)
                {
                    differences.Add($"{entity.Name}.{property.Name} is now read as: {shape}; the generated model reads it as: {seen.ReadShape}.");
                }

                CompareConverter(entity, property, seen, differences);
            }
        }

        var names = entity.Properties.Select(p => p.Name).ToHashSet();
        foreach (var property in code.Properties.Where(p => !names.Contains(p.Name)))
        {
            differences.Add($"{entity.Name}.{property.Name} is in the generated model (column {property.Column}) but is no longer mapped.");
        }

        // Same properties in another order: the row reader reads the select list by position.
        if (differences.Count == before && !entity.Properties.Select(p => p.Name).SequenceEqual(code.Properties.Select(p => p.Name)))
        {
            differences.Add($"{entity.Name}'s properties are mapped in the order {string.Join(", ", entity.Properties.Select(p => p.Name))}; the generated model reads them in the order {string.Join(", ", code.Properties.Select(p => p.Name))}.");
        }

        CompareValueObjects(entity, code, differences);
        CompareRelations(entity, code, differences);
    }

    // The generated reader makes each value object with the constructor and setters it had at generation, and the copy
    // follows its nesting: a value object whose class, constructor, members set, nullability or setter changed is listed.
    private static void CompareValueObjects(EntityModel entity, GeneratedEntity code, List<string> differences)
    {
        var generated = new Dictionary<string, GeneratedValueObject>();
        foreach (var valueObject in code.ValueObjects)
        {
            generated.TryAdd(valueObject.Name, valueObject);
        }

        foreach (var owner in GeneratedValueObject.Of(entity))
        {
            var shape = GeneratedValueObject.ShapeOf(owner, entity);
            if (!generated.Remove(owner.Name, out var seen))
            {
                differences.Add($"{entity.Name}.{owner.Name} is a value object ({owner.ClrType.Name}, {shape}) that is not in the generated model.");
            }
            else if (seen.Type != owner.ClrType || seen.Shape != shape)
            {
                differences.Add($"{entity.Name}.{owner.Name}, a value object, is now {owner.ClrType.Name}, {shape}; the generated model has {seen.Type.Name}, {seen.Shape}.");
            }
        }

        foreach (var seen in generated.Values)
        {
            differences.Add($"{entity.Name}: the generated model has the value object {seen.Name} ({seen.Type.Name}, {seen.Shape}), which the mapping no longer has.");
        }
    }
}
