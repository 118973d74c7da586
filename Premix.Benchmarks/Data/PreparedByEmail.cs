using System.Data.Common;

namespace Premix.Benchmarks.Data;

/// <summary>
/// A probe's hand-written ADO.NET: <see cref="CustomerSql.FirstByEmail"/> as one command, prepared once on an open
/// connection and re-bound per call (its parameters typed as Dapper types them), read with typed getters by ordinal.
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
        CustomerReader.TypeAsDapper(command, string.Empty);
        command.Prepare();
        return new PreparedByEmail(command, command.Parameters[0]);
    }

    public void Dispose() => _command.Dispose();

    public async Task<Customer?> FirstAsync(string email)
    {
        _email.Value = email;
        var reader = await _command.ExecuteReaderAsync().ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync().ConfigureAwait(false) ? CustomerReader.Read(reader) : null;
        }
    }
}
