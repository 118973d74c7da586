namespace Premix.Mapping;

/// <summary>How an enum property is stored.</summary>
public enum EnumStorage
{
    /// <summary>As its underlying integer.</summary>
    Number,

    /// <summary>As the member's name.</summary>
    Text,

    /// <summary>
    /// As a label of an enum type of the database (<c>StoredAsEnumType</c>): a PostgreSQL <c>CREATE TYPE ... AS ENUM</c>,
    /// a MySQL/MariaDB <c>ENUM(...)</c> column, SQLite text. See <see cref="PropertyModel.EnumType"/>.
    /// </summary>
    EnumType,
}
