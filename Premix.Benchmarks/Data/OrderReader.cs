using System.Data;
using System.Data.Common;

namespace Premix.Benchmarks.Data;

/// <summary>
/// The include workload written by hand in ADO.NET: the customers, then their orders in one statement, stitched through a
/// dictionary as the Dapper baseline does, read with typed getters by ordinal under the <see cref="CommandBehavior"/>
/// given. Two contenders differ only in that flag, so a run shows what <see cref="CommandBehavior.SequentialAccess"/>
/// (which Dapper passes, and Premix does not) is worth on each driver.
/// </summary>
internal static class OrderReader
{
    public static async Task<List<CustomerWithOrders>> WithOrdersAsync(DbConnection connection, Engine engine, long max, CommandBehavior behavior)
    {
        var customers = new List<CustomerWithOrders>();
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = OrderSql.Customers;
            Add(command, "@max", max);
            var reader = await command.ExecuteReaderAsync(behavior).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    customers.Add(new CustomerWithOrders { Id = reader.GetInt64(0), Name = reader.GetString(1), Email = reader.GetString(2), Score = reader.GetInt32(3), CreatedAt = reader.GetDateTime(4) });
                }
            }
        }

        var byId = new Dictionary<long, CustomerWithOrders>(customers.Count);
        foreach (var customer in customers)
        {
            byId.Add(customer.Id, customer);
        }

        var orders = connection.CreateCommand();
        await using (orders.ConfigureAwait(false))
        {
            orders.CommandText = OrdersSql(orders, engine, customers);
            var reader = await orders.ExecuteReaderAsync(behavior).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var order = new Order { Id = reader.GetInt64(0), CustomerId = reader.GetInt64(1), Total = reader.GetDecimal(2), PlacedAt = reader.GetDateTime(3) };
                    var customer = byId[order.CustomerId];
                    customer.Orders.Add(order);
                    order.Customer = customer;
                }
            }
        }

        return customers;
    }

    // PostgreSQL: one bigint[] parameter (= ANY), as Dapper and Premix send it; elsewhere one parameter per key, as Dapper expands IN @ids.
    private static string OrdersSql(DbCommand command, Engine engine, List<CustomerWithOrders> customers)
    {
        var sql = OrderSql.OrdersOf(engine);
        if (engine == Engine.PostgreSql)
        {
            Add(command, "@ids", customers.ConvertAll(c => c.Id).ToArray());
            return sql;
        }

        var names = new string[customers.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = "@ids" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Add(command, names[i], customers[i].Id);
        }

        return sql.Replace("IN @ids", "IN (" + string.Join(", ", names) + ")", StringComparison.Ordinal);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
