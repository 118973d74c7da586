using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>One foreign key as a relation: a reference on the dependent, a collection on the principal.</summary>
internal sealed record ScaffoldRelation(ScaffoldEntity Dependent, ScaffoldProperty ForeignKey, ScaffoldEntity Principal, string ReferenceName, string CollectionName, ReferentialAction OnDelete);
