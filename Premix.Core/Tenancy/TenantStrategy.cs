namespace Premix;

/// <summary>Where a tenant's rows live (docs/multi-tenancy.md).</summary>
public enum TenantStrategy
{
    /// <summary>Each tenant has a database of its own (a file on SQLite), reached through a connection string of its own.</summary>
    Database,

    /// <summary>Each tenant has a schema of its own in one database (PostgreSQL), or a database of its own on one server (MySQL, MariaDB).</summary>
    Schema,

    /// <summary>Every tenant's rows share the tables, told apart by a tenant column (<c>HasTenantColumn</c>) every statement filters on.</summary>
    Column,
}
