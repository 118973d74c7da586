using Microsoft.EntityFrameworkCore;

namespace Premix.Benchmarks.Data;

/// <summary>The EF Core model of the include workload: the customers table with its orders, both navigations.</summary>
public sealed class IncludeDbContext(DbContextOptions<IncludeDbContext> options) : DbContext(options)
{
    public DbSet<CustomerWithOrders> Customers => Set<CustomerWithOrders>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var postgreSql = Database.IsNpgsql();
        var customer = modelBuilder.Entity<CustomerWithOrders>();
        customer.ToTable("customers");
        customer.HasKey(c => c.Id);
        customer.Property(c => c.Id).HasColumnName("id");
        customer.Property(c => c.Name).HasColumnName("name");
        customer.Property(c => c.Email).HasColumnName("email");
        customer.Property(c => c.Score).HasColumnName("score");
        customer.Property(c => c.CreatedAt).HasColumnName("created_at");
        customer.HasMany(c => c.Orders).WithOne(o => o.Customer).HasForeignKey(o => o.CustomerId);

        var order = modelBuilder.Entity<Order>();
        order.ToTable("orders");
        order.HasKey(o => o.Id);
        order.Property(o => o.Id).HasColumnName("id");
        order.Property(o => o.CustomerId).HasColumnName("customer_id");
        order.Property(o => o.Total).HasColumnName("total").HasPrecision(10, 2);
        order.Property(o => o.PlacedAt).HasColumnName("placed_at");
        if (postgreSql)
        {
            // timestamp without time zone, as in BenchmarkDbContext.
            customer.Property(c => c.CreatedAt).HasColumnType("timestamp(6)");
            order.Property(o => o.PlacedAt).HasColumnType("timestamp(6)");
        }
    }
}
