using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Premix.Providers.PostgreSql;

/// <summary>
/// The bulk insert of one table through binary <c>COPY … FROM STDIN (FORMAT BINARY)</c> (Npgsql's <c>BeginBinaryImport</c>).
/// Binary COPY does not convert values as an INSERT does: each value must be sent as exactly its column's type. So the
/// first commit that uses it reads, once, each column's type as the server has it (a domain as its base type) and the
/// generated key's sequence (a serial column's, or an identity column's: COPY writes an identity column, even
/// <c>GENERATED ALWAYS</c>, with the values given); every value is then written with its column's type name.
/// </summary>
internal sealed class PostgreSqlBulkCopy : IBulkInsertTable
{
    private readonly BulkInsertColumn[] _columns;
    private readonly BulkInsertColumn? _generatedKey;
    private readonly string _table;
    private readonly ColumnWriter?[] _writers;
    private ColumnReader?[]? _readers;
    private Described? _described;

    public PostgreSqlBulkCopy(string table, IReadOnlyList<BulkInsertColumn> columns, BulkInsertColumn? generatedKey)
    {
        _table = table;
        _columns = [.. columns];
        _generatedKey = generatedKey;
        _writers = new ColumnWriter?[_columns.Length];
        Sql = $"COPY {table} ({string.Join(", ", _columns.Select(c => c.QuotedName))}) FROM STDIN (FORMAT BINARY)";
        var relation = "'" + table.Replace("'", "''", StringComparison.Ordinal) + "'";
        DescribeSql = "SELECT a.attname, n.nspname || '.' || t.typname, pg_get_serial_sequence(" + relation + ", a.attname) FROM pg_attribute a"
            + " JOIN pg_type d ON d.oid = a.atttypid JOIN pg_type t ON t.oid = CASE WHEN d.typtype = 'd' THEN d.typbasetype ELSE d.oid END"
            + " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE a.attrelid = " + relation + "::regclass AND a.attnum > 0 AND NOT a.attisdropped";
    }

    /// <inheritdoc />
    public string Sql { get; }

    /// <inheritdoc />
    public string DescribeSql { get; }

    /// <inheritdoc />
    public bool IsDescribed => Volatile.Read(ref _described) is not null;

    /// <inheritdoc />
    public bool CanWrite => Volatile.Read(ref _described) is not { } described || _generatedKey is null || described.KeysSql is not null;

    /// <inheritdoc />
    public string? KeysSql => _described?.KeysSql;

    /// <inheritdoc />
    public async ValueTask<long> DescribeAsync(bool async, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = DescribeSql;
            command.Transaction = transaction;
            var found = new Dictionary<string, (string Type, string? Sequence)>(StringComparer.Ordinal);
            var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
            await using (reader.ConfigureAwait(false))
            {
                while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
                {
                    found[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                }
            }

            var types = new string[_columns.Length];
            for (var i = 0; i < types.Length; i++)
            {
                types[i] = found.TryGetValue(_columns[i].Name, out var column) ? column.Type
                    : throw new PremixException($"Table {_table} has no column {_columns[i].Name}, which {_columns[i].Property.Name} is mapped to. Update the schema (SyncAsync or a migration) or the mapping.");
            }

            // Without a sequence (a key filled by a trigger or a default expression), COPY cannot take keys first: CanWrite is then false.
            var sequence = _generatedKey is null ? null : found.GetValueOrDefault(_generatedKey.Name).Sequence;
            var keysSql = sequence is null ? null : $"SELECT nextval('{sequence.Replace("'", "''", StringComparison.Ordinal)}') FROM generate_series(1, @rows)";
            Volatile.Write(ref _described, new Described(types, keysSql));
            return found.Count;
        }
    }

    /// <inheritdoc />
    /// <remarks>A failed COPY aborts its transaction, and without one it writes nothing: it is safe alone.</remarks>
    public bool NeedsTransaction => false;

    /// <inheritdoc />
    public async ValueTask<long> WriteAsync(bool async, DbConnection connection, DbTransaction? transaction, IReadOnlyList<object> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var npgsql = connection as NpgsqlConnection
            ?? throw new PremixException($"COPY needs an NpgsqlConnection; the commit's connection is a {connection?.GetType().Name}. Call DisableBulkInsert() to use a connection of another type.");
        var types = _described!.Types;
        var readers = Readers();
        var importer = async ? await npgsql.BeginBinaryImportAsync(Sql, cancellationToken).ConfigureAwait(false) : npgsql.BeginBinaryImport(Sql);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var entity in entities)
            {
                if (async)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    importer.StartRow();
                }

                for (var i = 0; i < _columns.Length; i++)
                {
                    if (readers[i] is { } reader)
                    {
                        if (async)
                        {
                            await reader.WriteAsync(importer, entity, types[i], cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            reader.Write(importer, entity, types[i]);
                        }

                        continue;
                    }

                    var value = _columns[i].Read(entity);
                    if (value is DBNull)
                    {
                        if (async)
                        {
                            await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            importer.WriteNull();
                        }
                    }
                    else
                    {
                        var writer = _writers[i] is { } known && known.Writes(value) ? known : _writers[i] = ColumnWriter.For(value.GetType());
                        if (async)
                        {
                            await writer.WriteAsync(importer, value, types[i], cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            writer.Write(importer, value, types[i]);
                        }
                    }
                }
            }

            // Disposed without Complete, the importer cancels the COPY: a failure above writes nothing.
            return (long)(async ? await importer.CompleteAsync(cancellationToken).ConfigureAwait(false) : importer.Complete());
        }
    }

    // Each column's typed reader and writer, made on the first write (by reflection; none with dynamic code off), or null
    // where the column's values are read boxed.
    private ColumnReader?[] Readers()
    {
        if (Volatile.Read(ref _readers) is { } readers)
        {
            return readers;
        }

        readers = new ColumnReader?[_columns.Length];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = RuntimeFeature.IsDynamicCodeSupported && _columns[i].TypedReader() is { } read ? ColumnReader.For(read) : null;
        }

        Volatile.Write(ref _readers, readers);
        return readers;
    }

    // Reads a column's value from the entity typed and writes it with that type: no box per value (a struct read as object
    // was one allocation per row and column), and Npgsql resolves the column's converter once per import.
    private abstract class ColumnReader
    {
        [RequiresDynamicCode("Makes Typed<T> for the reader's value type.")]
        [UnconditionalSuppressMessage("Trimming", "IL2055:MakeGenericType", Justification = "Typed<T> puts no DynamicallyAccessedMembers on T.")]
        public static ColumnReader For(Delegate read) =>
            (ColumnReader)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(read.GetType().GetGenericArguments()[1]), read)!;

        public abstract void Write(NpgsqlBinaryImporter importer, object entity, string dataTypeName);

        public abstract Task WriteAsync(NpgsqlBinaryImporter importer, object entity, string dataTypeName, CancellationToken cancellationToken);

        private sealed class Typed<T>(Func<object, T> read) : ColumnReader
        {
            public override void Write(NpgsqlBinaryImporter importer, object entity, string dataTypeName) => importer.Write(read(entity), dataTypeName);

            public override Task WriteAsync(NpgsqlBinaryImporter importer, object entity, string dataTypeName, CancellationToken cancellationToken) =>
                importer.WriteAsync(read(entity), dataTypeName, cancellationToken);
        }
    }

    // Writes a column's values with their own type, not as object: Npgsql then resolves the column's converter once per
    // import, not once per value. Made for the type of the first value seen (a column's values share one, but for a
    // property of a base type, hence the check), and kept.
    private abstract class ColumnWriter
    {
        // Native AOT cannot make Typed<T> for a type it did not compile: there each value is written as object, and Npgsql
        // resolves its converter by the value's type.
        public static ColumnWriter For(Type type) =>
            RuntimeFeature.IsDynamicCodeSupported ? (ColumnWriter)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(type))! : new Typed<object>();

        public abstract bool Writes(object value);

        public abstract void Write(NpgsqlBinaryImporter importer, object value, string dataTypeName);

        public abstract Task WriteAsync(NpgsqlBinaryImporter importer, object value, string dataTypeName, CancellationToken cancellationToken);

        private sealed class Typed<T> : ColumnWriter
        {
            public override bool Writes(object value) => typeof(T) == typeof(object) || value.GetType() == typeof(T);

            public override void Write(NpgsqlBinaryImporter importer, object value, string dataTypeName) => importer.Write((T)value, dataTypeName);

            public override Task WriteAsync(NpgsqlBinaryImporter importer, object value, string dataTypeName, CancellationToken cancellationToken) =>
                importer.WriteAsync((T)value, dataTypeName, cancellationToken);
        }
    }

    // What the server says of the table: each written column's type name (schema.name, as Npgsql knows it), and the key query.
    private sealed record Described(string[] Types, string? KeysSql);
}
