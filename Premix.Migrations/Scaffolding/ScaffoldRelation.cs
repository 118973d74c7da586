using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>One foreign key as a relation: a reference on the dependent, a collection on the principal; several foreign-key properties, in the order of the principal's key, for a composite key.</summary>
internal sealed record ScaffoldRelation(ScaffoldEntity Dependent, IReadOnlyList<ScaffoldProperty> ForeignKey, ScaffoldEntity Principal, string ReferenceName, string CollectionName, ReferentialAction OnDelete);
