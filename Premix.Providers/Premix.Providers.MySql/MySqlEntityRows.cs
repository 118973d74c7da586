using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Premix.Providers.MySql;

/// <summary>
/// The rows of a bulk load as the reader <c>MySqlBulkCopy</c> takes: one row per entity, each column's value read from
/// the entity as a parameter's (converted, <see cref="DBNull"/> for null). It asks only for <see cref="FieldCount"/>,
/// <see cref="Read"/> and <see cref="GetValues"/>; the rest of a reader has no meaning here and is not supported.
/// </summary>
internal sealed class MySqlEntityRows(IReadOnlyList<object> entities, Func<object, object>[] columns) : DbDataReader
{
    private int _row = -1;

    public override int FieldCount => columns.Length;

    public override bool Read() => ++_row < entities.Count;

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entity = entities[_row];
        for (var i = 0; i < columns.Length; i++)
        {
            values[i] = columns[i](entity);
        }

        return columns.Length;
    }

    public override object GetValue(int ordinal) => columns[ordinal](entities[_row]);

    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;

    public override int Depth => 0;

    public override bool HasRows => entities.Count > 0;

    public override bool IsClosed => false;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => throw NotSupported();

    public override bool NextResult() => false;

    public override IEnumerator GetEnumerator() => throw NotSupported();

    public override bool GetBoolean(int ordinal) => throw NotSupported();

    public override byte GetByte(int ordinal) => throw NotSupported();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw NotSupported();

    public override char GetChar(int ordinal) => throw NotSupported();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw NotSupported();

    public override string GetDataTypeName(int ordinal) => throw NotSupported();

    public override DateTime GetDateTime(int ordinal) => throw NotSupported();

    public override decimal GetDecimal(int ordinal) => throw NotSupported();

    public override double GetDouble(int ordinal) => throw NotSupported();

    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicFields)]
    public override Type GetFieldType(int ordinal) => throw NotSupported();

    public override float GetFloat(int ordinal) => throw NotSupported();

    public override Guid GetGuid(int ordinal) => throw NotSupported();

    public override short GetInt16(int ordinal) => throw NotSupported();

    public override int GetInt32(int ordinal) => throw NotSupported();

    public override long GetInt64(int ordinal) => throw NotSupported();

    public override string GetName(int ordinal) => throw NotSupported();

    public override int GetOrdinal(string name) => throw NotSupported();

    public override string GetString(int ordinal) => throw NotSupported();

    private static NotSupportedException NotSupported() => new("The rows of a bulk load are read with GetValues only.");
}
