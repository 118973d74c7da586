using System.Globalization;
using System.Text;

namespace Premix.Plans;

/// <summary>
/// A <see cref="GeneratedEntity"/>'s description as generated code of format 4 holds it: text that this shared code reads
/// when the model is read, instead of an initializer per entity, which the JIT would compile once per entity at every start.
/// </summary>
/// <remarks>
/// One record a line: <c>T table</c>; <c>P name column type read-shape converter</c> per property (type: its index in the
/// model's type list); <c>V name type shape</c> per value object (<c>Owns</c>); <c>R shape navigation sets-navigation</c> per
/// relation; <c>F name lifted-only-by-name sql value…</c> per named query filter but the tenant column's (a value: the C#
/// reading it); <c>S name sql parameter…</c> per statement.
/// A text is its length, a colon and the text (so it may hold any character, spaces and line breaks included), <c>-</c> is
/// no text, a number is its digits; fields are separated by one space.
/// </remarks>
internal static class GeneratedDescription
{
    /// <summary>The table's record.</summary>
    public static string Table(string table) => new Line('T').Text(table).End();

    /// <summary>A property's record; <paramref name="type"/> is the index of its type in the model's type list.</summary>
    public static string Property(string name, string column, int type, string readShape, string? converter) =>
        new Line('P').Text(name).Text(column).Number(type).Text(readShape).Text(converter).End();

    /// <summary>A value object's record (<see cref="GeneratedValueObject"/>); <paramref name="type"/> is the index of its class in the model's type list.</summary>
    public static string ValueObject(string name, int type, string shape) =>
        new Line('V').Text(name).Number(type).Text(shape).End();

    /// <summary>A relation's record.</summary>
    public static string Relation(string shape, string? navigation, bool setsNavigation) =>
        new Line('R').Text(shape).Text(navigation).Number(setsNavigation ? 1 : 0).End();

    /// <summary>A named query filter's record (<see cref="GeneratedFilter"/>).</summary>
    public static string Filter(string name, bool liftsOnlyExplicitly, string sql, IEnumerable<string> values)
    {
        var line = new Line('F').Text(name).Number(liftsOnlyExplicitly ? 1 : 0).Text(sql);
        foreach (var value in values)
        {
            line.Text(value);
        }

        return line.End();
    }

    /// <summary>A statement's record.</summary>
    public static string Statement(string name, string sql, IEnumerable<string> parameters)
    {
        var line = new Line('S').Text(name).Text(sql);
        foreach (var parameter in parameters)
        {
            line.Text(parameter);
        }

        return line.End();
    }

    /// <summary>Reads a description that <see cref="Table"/>, <see cref="Property"/>, <see cref="Relation"/> and <see cref="Statement"/> wrote.</summary>
    /// <exception cref="FormatException">The text is not such a description (it was edited): the message says where.</exception>
    public static Parts Read(string description, IReadOnlyList<Type> types)
    {
        var reader = new Reader(description);
        string? table = null;
        var properties = new List<GeneratedProperty>();
        var relations = new List<GeneratedRelation>();
        var valueObjects = new List<GeneratedValueObject>();
        var statements = new List<GeneratedStatement>();
        var filters = new List<GeneratedFilter>();
        while (!reader.AtEnd)
        {
            switch (reader.Kind())
            {
                case 'T' when table is null:
                    table = reader.Text();
                    break;
                case 'P':
                    var (name, column, type) = (reader.Text(), reader.Text(), reader.Number());
                    properties.Add(new GeneratedProperty(name, column, type < types.Count ? types[type] : throw reader.Error($"type {type} is not in the model's {types.Count} types"))
                    {
                        ReadShape = reader.Text(),
                        Converter = reader.TextOrNone(),
                    });
                    break;
                case 'V':
                    var (path, owned) = (reader.Text(), reader.Number());
                    valueObjects.Add(new GeneratedValueObject(path, owned < types.Count ? types[owned] : throw reader.Error($"type {owned} is not in the model's {types.Count} types"), reader.Text()));
                    break;
                case 'R':
                    relations.Add(new GeneratedRelation(reader.Text()) { Navigation = reader.TextOrNone(), SetsNavigation = reader.Flag() });
                    break;
                case 'F':
                    var (filter, lifted, condition, values) = (reader.Text(), reader.Flag(), reader.Text(), new List<string>());
                    while (!reader.AtLineEnd)
                    {
                        values.Add(reader.Text());
                    }

                    filters.Add(new GeneratedFilter(filter, lifted, condition, values));
                    break;
                case 'S':
                    var (statement, sql, parameters) = (reader.Text(), reader.Text(), new List<string>());
                    while (!reader.AtLineEnd)
                    {
                        parameters.Add(reader.Text());
                    }

                    statements.Add(new GeneratedStatement(statement, sql, parameters));
                    break;
                case var kind:
                    throw reader.Error($"{Shown(kind)} is not a record kind here");
            }

            reader.EndOfLine();
        }

        return new Parts(table ?? throw new FormatException("it has no table"), [.. properties], [.. relations], [.. statements]) { ValueObjects = [.. valueObjects], Filters = [.. filters] };
    }

    // A blank line or a control character printed as itself would break the error message's line.
    private static string Shown(char kind) => kind is >= ' ' and <= '~' ? $"'{kind}'" : $"U+{(int)kind:X4}";

    /// <summary>
    /// What a description holds. A class of Premix's own rather than a tuple: ReadyToRun precompiles it with Premix (and not
    /// a record, whose equality and printing members nothing uses).
    /// </summary>
    public sealed class Parts(string table, GeneratedProperty[] properties, GeneratedRelation[] relations, GeneratedStatement[] statements)
    {
        public string Table { get; } = table;

        public GeneratedProperty[] Properties { get; } = properties;

        public GeneratedRelation[] Relations { get; } = relations;

        public GeneratedStatement[] Statements { get; } = statements;

        public GeneratedValueObject[] ValueObjects { get; init; } = [];

        public GeneratedFilter[] Filters { get; init; } = [];
    }

    private sealed class Line(char kind)
    {
        private readonly StringBuilder _text = new StringBuilder().Append(kind);

        public Line Text(string? text)
        {
            _text.Append(' ');
            if (text is null)
            {
                _text.Append('-');
            }
            else
            {
                _text.Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(text);
            }

            return this;
        }

        public Line Number(int number)
        {
            _text.Append(' ').Append(number.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public string End() => _text.Append('\n').ToString();
    }

    private sealed class Reader(string text)
    {
        private int _at;
        private int _line = 1;

        public bool AtEnd => _at == text.Length;

        public bool AtLineEnd => _at < text.Length && text[_at] == '\n';

        public char Kind() => text[_at++];

        public void EndOfLine()
        {
            if (!AtLineEnd)
            {
                throw Error("a record goes on past its last field");
            }

            _at++;
            _line++;
        }

        public string Text() => TextOrNone() ?? throw Error("a text is missing");

        public string? TextOrNone()
        {
            Separator();
            if (_at < text.Length && text[_at] == '-')
            {
                _at++;
                return null;
            }

            var length = Digits();
            if (_at >= text.Length || text[_at] != ':' || length > text.Length - _at - 1)
            {
                throw Error("a text's length is not followed by a colon and that many characters");
            }

            _at += length + 1;
            return text.Substring(_at - length, length);
        }

        public int Number()
        {
            Separator();
            return Digits();
        }

        public bool Flag() => Number() switch
        {
            0 => false,
            1 => true,
            var other => throw Error($"a flag is {other}, not 0 or 1"),
        };

        // One record a source line (the generator writes each on its own), so the line is where to look in XxxPlan.Description.
        public FormatException Error(string what) => new($"{what} (at line {_line} of the description)");

        private void Separator()
        {
            if (_at >= text.Length || text[_at] != ' ')
            {
                throw Error("a field is missing");
            }

            _at++;
        }

        private int Digits()
        {
            var start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at]) && _at - start < 9)
            {
                _at++;
            }

            return _at > start ? int.Parse(text.AsSpan(start, _at - start), CultureInfo.InvariantCulture) : throw Error("a number is missing");
        }
    }
}
