using Microsoft.EntityFrameworkCore;

namespace Premix.Benchmarks.Data;

/// <summary>The EF Core model of the same table: read with <c>AsNoTracking</c>, written with <c>SaveChangesAsync</c>.</summary>
public sealed class BenchmarkDbContext(DbContextOptions<BenchmarkDbContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var customer = modelBuilder.Entity<Customer>();
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Id).HasColumnName("id");
        customer.Property(c => c.Name).HasColumnName("name");
        customer.Property(c => c.Email).HasColumnName("email");
        customer.Property(c => c.Score).HasColumnName("score");
        customer.Property(c => c.CreatedAt).HasColumnName("created_at");
        if (Database.IsNpgsql())
        {
            // The column is timestamp without time zone; Npgsql's EF Core provider maps DateTime to timestamptz by default.
            customer.Property(c => c.CreatedAt).HasColumnType("timestamp(6)");
        }
    }
}
