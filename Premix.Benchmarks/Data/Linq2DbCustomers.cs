using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider.MySql;
using LinqToDB.DataProvider.SQLite;
using LinqToDB.Mapping;

namespace Premix.Benchmarks.Data;

/// <summary>
/// linq2db over the benchmark's customers table, for its <c>BulkCopy</c>: the provider's bulk channel where it has one
/// (binary <c>COPY</c> on PostgreSQL, <c>MySqlBulkCopy</c> over <c>LOAD DATA LOCAL INFILE</c> on MariaDB, which needs
/// <c>AllowLoadLocalInfile=true</c> on the client and <c>local_infile</c> on the server), many-row INSERTs otherwise
/// (SQLite). It reads no generated keys back.
/// </summary>
internal static class Linq2DbCustomers
{
    private static readonly MappingSchema Schema = BuildSchema();

    public static DataOptions Options(BenchmarkDatabase database) => (database.Engine switch
    {
        Engine.PostgreSql => new DataOptions().UsePostgreSQL(database.ConnectionString),
        Engine.MySql => new DataOptions().UseMySql(LocalInfileAllowed(database.ConnectionString), MySqlVersion.MariaDB10, MySqlProvider.MySqlConnector),
        _ => new DataOptions().UseSQLite(database.ConnectionString, SQLiteProvider.Microsoft),
    }).UseMappingSchema(Schema);

    public static readonly BulkCopyOptions Bulk = new(BulkCopyType: BulkCopyType.ProviderSpecific);

    private static string LocalInfileAllowed(string connectionString) =>
        new MySqlConnector.MySqlConnectionStringBuilder(connectionString) { AllowLoadLocalInfile = true }.ConnectionString;

    private static MappingSchema BuildSchema()
    {
        var schema = new MappingSchema();
        new FluentMappingBuilder(schema).Entity<Customer>().HasTableName("customers")
            .Property(c => c.Id).HasColumnName("id").IsPrimaryKey().IsIdentity()
            .Property(c => c.Name).HasColumnName("name")
            .Property(c => c.Email).HasColumnName("email")
            .Property(c => c.Score).HasColumnName("score")
            .Property(c => c.CreatedAt).HasColumnName("created_at").HasDataType(DataType.DateTime2)
            .Build();
        return schema;
    }
}
