using Premix.Mapping;
using Premix.Plans;
using Premix.Providers.MySql;
using Premix.Providers.PostgreSql;
using Premix.Providers.Sqlite;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Mapping;

/// <summary>Plans are compiled once at startup, per dialect, and show their SQL.</summary>
public sealed class PlanTests
{
    private static readonly Model Shop = new ModelBuilder().Add(new CustomerMap()).Add(new GadgetMap()).Build();

    [Test]
    public void PostgreSql_plan_returns_the_generated_key_and_aliases_nothing_when_names_match()
    {
        var plan = new PlanCompiler(new PostgreSqlDialect()).Compile(Shop.Get(typeof(Customer)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.Insert.ToSql(), Is.EqualTo("""INSERT INTO "customers" ("Name", "Email", "Visits") VALUES (@Name, @Email, @Visits) RETURNING "Id" """.TrimEnd()));
            Assert.That(plan.Update.ToSql(), Is.EqualTo("""UPDATE "customers" SET "Name" = @Name, "Email" = @Email, "Visits" = @Visits WHERE "Id" = @Id"""));
            Assert.That(plan.SelectByKey.ToSql(), Is.EqualTo("""SELECT "Id", "Name", "Email", "Visits" FROM "customers" WHERE "Id" = @Id"""));
            Assert.That(plan.Count.ToSql(), Is.EqualTo("""SELECT COUNT(*) FROM "customers" """.TrimEnd()));
        }
    }

    [Test]
    public void MySql_plan_quotes_with_backticks_and_reads_the_key_with_last_insert_id()
    {
        var plan = new PlanCompiler(new MySqlDialect()).Compile(Shop.Get(typeof(Customer)));

        Assert.That(plan.Insert.ToSql(), Is.EqualTo("INSERT INTO `customers` (`Name`, `Email`, `Visits`) VALUES (@Name, @Email, @Visits); SELECT LAST_INSERT_ID()"));
    }

    [Test]
    public void Client_assigned_keys_are_inserted_and_nothing_is_returned()
    {
        var plan = new PlanCompiler(new SqliteDialect()).Compile(Shop.Get(typeof(Gadget)));

        Assert.That(plan.Insert.ToSql(), Is.EqualTo("""INSERT INTO "gadgets" ("Id", "Label") VALUES (@Id, @Label)"""));
    }

    [Test]
    public void Columns_named_differently_from_properties_are_aliased_so_rows_map_straight_onto_the_class()
    {
        var model = new ModelBuilder().UseNamingConvention(NamingConvention.SnakeCase).Add(new CustomerMap()).Build();

        var plan = new PlanCompiler(new PostgreSqlDialect()).Compile(model.Get(typeof(Customer)));

        Assert.That(plan.SelectAll.ToSql(), Is.EqualTo("""SELECT "id" AS "Id", "name" AS "Name", "email" AS "Email", "visits" AS "Visits" FROM "customers" """.TrimEnd()));
    }

    [Test]
    public void DescribePlans_lists_every_statement_of_every_entity()
    {
        var premix = PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<CustomerMap>().AddModelConfiguration<GadgetMap>());

        var text = premix.DescribePlans();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("-- Customer -> customers").And.Contain("-- Gadget -> gadgets"));
            Assert.That(premix.Plans.SelectMany(p => p.Statements).ToList(), Has.Count.EqualTo(14));
            foreach (var statement in premix.Plans.SelectMany(p => p.Statements))
            {
                Assert.That(text, Does.Contain(statement.ToSql()));
            }
        }
    }

    [Test]
    public void Plans_are_compiled_once_and_shared()
    {
        var premix = PremixFactory.Create(p => p.UseSqlite("Data Source=:memory:").AddModelConfiguration<CustomerMap>());

        var first = premix.GetPlan<Customer>();
        var second = premix.GetPlan<Customer>();

        Assert.That(second, Is.SameAs(first));
        Assert.That(first.Insert, Is.SameAs(premix.Plans[0].Insert));
    }

    [Test]
    public void Starting_without_a_provider_says_which_method_to_call()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PremixFactory.Create(p => p.AddModelConfiguration<CustomerMap>()));

        Assert.That(error!.Message, Does.Contain("UseSqlite(...), UsePostgreSql(...) or UseMySql(...)"));
    }
}
