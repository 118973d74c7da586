namespace Premix.Migrations;

/// <summary>Implemented by a database provider whose engine Premix.Migrations can read and change.</summary>
public interface ISchemaProvider
{
    /// <summary>The engine's schema dialect: type spelling, introspection, DDL.</summary>
    SchemaDialect Schema { get; }
}
