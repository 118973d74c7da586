using System.Diagnostics.CodeAnalysis;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// THROWAWAY PROTOTYPE (task startmaps22, not for merging): with <c>PREMIX_PROTOTYPE_SKIP_MAPS=1</c> and a generated model,
/// the model is made from the generated descriptions alone: no assembly scan, no map's Configure, no validation, no check
/// of the generated model against the mapping. Only what the cold-start benchmark's first get needs: tables, columns,
/// required, the key (from SelectByKey's parameters), a generated key (Insert's RETURNING), relations by their shape.
/// </summary>
internal static class PrototypeModel
{
    public static readonly bool On = Environment.GetEnvironmentVariable("PREMIX_PROTOTYPE_SKIP_MAPS") == "1";

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Prototype, JIT and ReadyToRun only.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Prototype, JIT and ReadyToRun only.")]
    public static Model FromGenerated(GeneratedModel generated, NamingConvention naming)
    {
        var entities = new List<EntityModel>(generated.Entities.Count);
        var byName = new Dictionary<string, EntityModel>(StringComparer.Ordinal);
        foreach (var g in generated.Entities)
        {
            var type = g.EntityType;
            IReadOnlyList<string> key = [];
            var keyGenerated = false;
            foreach (var statement in g.Statements)
            {
                if (statement.Name == "SelectByKey")
                {
                    key = statement.Parameters;
                }
                else if (statement.Name == "Insert")
                {
                    keyGenerated = statement.Sql.Contains(" RETURNING ", StringComparison.Ordinal);
                }
            }

            var properties = new PropertyModel[g.Properties.Count];
            for (var i = 0; i < properties.Length; i++)
            {
                var p = g.Properties[i];
                var isKey = key.Contains(p.Name);
                properties[i] = new PropertyModel(type.GetProperty(p.Name)!, p.Column, p.ReadShape.Contains(", required", StringComparison.Ordinal))
                {
                    IsKey = isKey,
                    IsGenerated = isKey && keyGenerated,
                };
            }

            var entity = new EntityModel(type, g.Table, null, properties);
            entities.Add(entity);
            byName[type.Name] = entity;
        }

        var foreignKeys = new List<ForeignKeyModel>();
        for (var i = 0; i < entities.Count; i++)
        {
            var g = generated.Entities[i];
            if (g.Relations.Count == 0)
            {
                continue;
            }

            var relations = new List<RelationModel>(g.Relations.Count);
            foreach (var r in g.Relations)
            {
                // "HasMany Children to Entity051 by ParentId"
                var parts = r.Shape.Split(' ');
                var kind = Enum.Parse<RelationKind>(parts[0]);
                var target = byName[parts[3]];
                var (principal, dependent) = kind == RelationKind.BelongsTo ? (target, entities[i]) : (entities[i], target);
                var fk = foreignKeys.Find(f => f.Principal == principal.ClrType && f.Dependent == dependent.ClrType && f.Property.Name == parts[5])
                    ?? new ForeignKeyModel(principal.ClrType, dependent.ClrType, [dependent.FindProperty(parts[5])!], principal.Key, ReferentialAction.NoAction);
                if (!foreignKeys.Contains(fk))
                {
                    foreignKeys.Add(fk);
                }

                relations.Add(new RelationModel(kind, target.ClrType, r.Navigation is null ? null : entities[i].ClrType.GetProperty(r.Navigation), fk));
            }

            entities[i].Relations = relations;
        }

        var problems = new List<MappingProblem>();
        var ranks = InsertOrder.Rank(entities, foreignKeys, t => t, problems);
        return new Model(entities, foreignKeys, naming, ranks);
    }
}
