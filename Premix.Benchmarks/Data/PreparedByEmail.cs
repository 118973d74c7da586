using System.Data;
using System.Data.Common;

namespace Premix.Benchmarks.Data;

/// <summary>
/// A probe's hand-written ADO.NET: <see cref="CustomerSql.FirstByEmail"/> as one command, prepared once on an open
/// connection and re-bound per call, read with typed getters by ordinal.
/// </summary>
internal sealed class PreparedByEmail : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter _email;

    private PreparedByEmail(DbCommand command, DbParameter email)
    {
        _command = command;
        _email = email;
    }

    public static PreparedByEmail Create(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = CustomerSql.FirstByEmail;
        var email = command.CreateParameter();
        email.ParameterName = "@email";
        email.DbType = DbType.String;
        email.Value = string.Empty;
        command.Parameters.Add(email);
        var take = command.CreateParameter();
        take.ParameterName = "@take";
        take.DbType = DbType.Int32;
        take.Value = 1;
        command.Parameters.Add(take);
        command.Prepare();
        return new PreparedByEmail(command, email);
    }

    public void Dispose() => _command.Dispose();

    public async Task<Customer?> FirstAsync(string email)
    {
        _email.Value = email;
        var reader = await _command.ExecuteReaderAsync().ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync().ConfigureAwait(false) ? new Customer
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Email = reader.GetString(2),
                Score = reader.GetInt32(3),
                CreatedAt = reader.GetDateTime(4),
            } : null;
        }
    }
}
