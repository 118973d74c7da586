using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Premix.Providers.Sqlite;

/// <summary>
/// A list of values as the JSON array that SQLite's <c>json_each</c> reads back as rows: each value in the form
/// Microsoft.Data.Sqlite binds it on its own (its <c>SqliteValueBinder</c>), so it compares equal to the value Premix stored.
/// Blobs go as hexadecimal text, which the query turns back with <c>unhex</c>.
/// </summary>
internal static class SqliteJsonList
{
    // Only quotes, backslashes and control characters need escaping inside a JSON string; the text is never HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static object Write(IReadOnlyList<object> values)
    {
        var buffer = new ArrayBufferWriter<byte>(2 + (values.Count * 8));
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartArray();
            if (values is IReadOnlyList<long> longs)
            {
                // An include's typed keys: written as they are, without a box each.
                for (var i = 0; i < longs.Count; i++)
                {
                    json.WriteNumberValue(longs[i]);
                }
            }
            else if (values is IReadOnlyList<int> ints)
            {
                for (var i = 0; i < ints.Count; i++)
                {
                    json.WriteNumberValue(ints[i]);
                }
            }
            else if (values is IReadOnlyList<Guid> guids)
            {
                // Guid keys the same way: no box, and no string a key.
                for (var i = 0; i < guids.Count; i++)
                {
                    WriteGuid(json, guids[i]);
                }
            }
            else
            {
                for (var i = 0; i < values.Count; i++)
                {
                    Write(json, values[i]);
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case string text:
                json.WriteStringValue(text);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case int or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong number:
                json.WriteNumberValue(unchecked((long)number));
                break;
            case bool flag:
                json.WriteNumberValue(flag ? 1 : 0);
                break;
            case double real:
                WriteReal(json, real);
                break;
            case float real:
                WriteReal(json, real);
                break;
            case decimal number:
                json.WriteStringValue(number.ToString("0.0###########################", CultureInfo.InvariantCulture));
                break;
            case char character:
                json.WriteStringValue(character.ToString());
                break;
            case Guid guid:
                WriteGuid(json, guid);
                break;
            case DateTime time:
                json.WriteStringValue(time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
                break;
            case DateOnly day:
                json.WriteStringValue(day.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                json.WriteStringValue(time.ToString(time.Ticks % TimeSpan.TicksPerSecond == 0 ? @"HH\:mm\:ss" : @"HH\:mm\:ss\.fffffff", CultureInfo.InvariantCulture));
                break;
            case TimeSpan span:
                json.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                json.WriteStringValue(Convert.ToHexString(bytes));
                break;
            default:
                throw new NotSupportedException($"Premix cannot send a {value.GetType().Name} in a list to SQLite.");
        }
    }

    // As Microsoft.Data.Sqlite binds a Guid (its default, text): 36 characters, hexadecimal digits upper case.
    private static void WriteGuid(Utf8JsonWriter json, Guid guid)
    {
        Span<char> text = stackalloc char[36];
        guid.TryFormat(text, out _);
        Ascii.ToUpperInPlace(text, out _);
        json.WriteStringValue(text);
    }

    // SQLite reads 9e999 as infinity; it stores no NaN (a NaN becomes NULL), so a NaN in the list can match nothing.
    private static void WriteReal(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else if (!double.IsNaN(value))
        {
            json.WriteRawValue(value > 0 ? "9e999" : "-9e999", skipInputValidation: true);
        }
    }
}
