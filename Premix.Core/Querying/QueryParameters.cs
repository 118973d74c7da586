using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Premix.Execution;

namespace Premix.Querying;

/// <summary>
/// The parameters of one query call. A list (<see cref="ListValue"/>) is one parameter where the dialect binds lists, and
/// is otherwise expanded into one parameter per element (<c>IN @p0</c> becomes <c>IN (@p0_0, @p0_1)</c>); values of
/// sensitive columns are remembered so logs and messages mask them.
/// </summary>
internal sealed class QueryParameters : IStatementParameters
{
    // An empty set every engine accepts, so x IN () is false and NOT (x IN ()) is true, as in C#.
    private const string EmptySet = "(SELECT NULL FROM (SELECT 1 AS one) AS empty_set WHERE 1 = 0)";

    // No Skip, or no Take: a count is 0 or more.
    private const int NoCount = -1;

    private (string Name, object? Value, bool Sensitive, Action<IDbDataParameter>? SetUp)[] _parameters;
    private int _count;

    // A translated query's values (see the constructor that takes them), converted once while the caller is inside the
    // call: a call allocates one array for them rather than an entry per value, and the command, logs and messages all
    // read these same values. Read into entries only when a value is added after them.
    private SlotBinding?[]? _slots;
    private object?[]? _converted;

    // The model's Skip and Take, NoCount when it has none: ints rather than int? (8 bytes fewer on every query call's parameters).
    private int _skip = NoCount;
    private int _take = NoCount;

    // The names the slots' values and the paging values are bound under (the dialect's); null: the placeholders.
    private readonly SlotNames.BoundNames? _names;

    /// <summary>Parameters added one by one.</summary>
    public QueryParameters() => _parameters = [];

    /// <summary>
    /// Whether the statement's text is sent again unchanged (see <see cref="IStatementParameters.TextIsReused"/>);
    /// <see langword="false"/> for a text made for this call (a query whose translation is not cached, a composite key list).
    /// </summary>
    public bool TextIsReused { get; init; } = true;

    /// <summary>
    /// The parameters of a translated query: each bound slot's value (<paramref name="values"/>, by slot) as the slot
    /// converts it, then the model's Skip and Take. Converts now, so a list is read once, before the caller changes it, and a
    /// value the column refuses fails before any connection is taken. <paramref name="convertInPlace"/>: the values are this
    /// call's own array, which nothing reads after this (a query written in place), converted in it rather than into a new one.
    /// </summary>
    public QueryParameters(SlotBinding?[] slots, object?[] values, int? skip, int? take, bool convertInPlace = false, SlotNames.BoundNames? names = null)
    {
        _names = names;
        _parameters = [];
        var converted = convertInPlace && values.Length == slots.Length ? values : new object?[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            converted[i] = slots[i] is { } slot ? slot.ToParameter(values[i]) : null;
        }

        _slots = slots;
        _converted = converted;
        // NoCount (-1) means "no paging": a negative count must have been refused before (Query.Skip/Take, QueryTemplate).
        Debug.Assert(skip is null or >= 0 && take is null or >= 0, "Skip and Take are never negative here.");
        (_skip, _take) = (skip ?? NoCount, take ?? NoCount);
    }

    /// <summary>Adds a value; <paramref name="name"/> is the placeholder as the SQL writes it, with its <c>@</c>.</summary>
    public void Add(string name, object? value, bool sensitive, Action<IDbDataParameter>? setUp = null)
    {
        Materialize();
        Append(name, value, sensitive, setUp);
    }

    public void AddTo(DbCommand command)
    {
        if (_slots is not null)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is { } slot)
                {
                    AddTo(command, SlotNames.Of(i), _converted![i], slot.SetUp, _names?.Of(i));
                }
            }

            AddPagingTo(command, _skip, _take, _names);
            return;
        }

        foreach (var (name, value, _, setUp) in _parameters.AsSpan(0, _count))
        {
            AddTo(command, name, value, setUp);
        }
    }

    /// <inheritdoc />
    public bool SetValuesOn(DbParameterCollection parameters, ref int at)
    {
        if (_slots is { } slots)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i] is not null && !Set(parameters, ref at, _names?.Of(i) ?? SlotNames.Of(i), _converted![i]))
                {
                    return false;
                }
            }

            return (_skip == NoCount || KeptParameters.Set(parameters, ref at, _names?.Skip ?? "@__skip", Boxed(_skip)))
                && (_take == NoCount || KeptParameters.Set(parameters, ref at, _names?.Take ?? "@__take", Boxed(_take)));
        }

        foreach (var (name, value, _, _) in _parameters.AsSpan(0, _count))
        {
            if (!Set(parameters, ref at, name, value))
            {
                return false;
            }
        }

        return true;
    }

    // A list bound as one parameter is set as that; one expanded into a parameter per value is in a text made for this
    // call, and is bound anew.
    private static bool Set(DbParameterCollection parameters, ref int at, string name, object? value) =>
        value is ListValue list
            ? list.Bound is { } bound && KeptParameters.Set(parameters, ref at, name, bound)
            : KeptParameters.Set(parameters, ref at, name, value ?? DBNull.Value);

    // Take(1) and Take(2) (FirstOrDefault, Single) and small pages bind these boxes instead of a new one per call.
    private static readonly object[] SmallCounts = Enumerable.Range(0, 101).Select(n => (object)n).ToArray();

    private static object Boxed(int count) => (uint)count < (uint)SmallCounts.Length ? SmallCounts[count] : count;

    private static void AddPagingTo(DbCommand command, int skip, int take, SlotNames.BoundNames? names)
    {
        if (skip != NoCount)
        {
            Add(command, names?.Skip ?? "@__skip", Boxed(skip));
        }

        if (take != NoCount)
        {
            Add(command, names?.Take ?? "@__take", Boxed(take));
        }
    }

    // The entries of a translated query's values, for logs, messages and a value added after them.
    private void Materialize()
    {
        if (_slots is not { } slots)
        {
            return;
        }

        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] is { } slot)
            {
                Append(SlotNames.Of(i), _converted![i], slot.IsSensitive, slot.SetUp);
            }
        }

        if (_skip != NoCount)
        {
            Append("@__skip", Boxed(_skip), sensitive: false, null);
        }

        if (_take != NoCount)
        {
            Append("@__take", Boxed(_take), sensitive: false, null);
        }

        (_slots, _converted, _skip, _take) = (null, null, NoCount, NoCount);
    }

    private void Append(string name, object? value, bool sensitive, Action<IDbDataParameter>? setUp)
    {
        if (_count == _parameters.Length)
        {
            Array.Resize(ref _parameters, Math.Max(4, _count * 2));
        }

        _parameters[_count++] = (name, value, sensitive, setUp);
    }

    // boundName: what a value bound as one parameter goes under (the dialect's name for the placeholder); null: name itself.
    // A list expanded into one parameter per value keeps the placeholders' names, which its rewritten text holds.
    private static void AddTo(DbCommand command, string name, object? value, Action<IDbDataParameter>? setUp, string? boundName = null)
    {
        if (value is ListValue { Bound: null, Placeholders: { } names, ExpandedSql: { } expanded } written)
        {
            command.CommandText = expanded;
            for (var i = 0; i < written.Values.Count; i++)
            {
                Add(command, names[i], written.Values[i]);
            }
        }
        else if (value is ListValue { Bound: null } list)
        {
            var placeholders = new string[list.Values.Count];
            for (var i = 0; i < placeholders.Length; i++)
            {
                placeholders[i] = name + "_" + i.ToString(CultureInfo.InvariantCulture);
                Add(command, placeholders[i], list.Values[i]);
            }

            var expansion = placeholders.Length == 0 ? EmptySet : "(" + string.Join(", ", placeholders) + ")";
            command.CommandText = Regex.Replace(command.CommandText, name + @"\b", expansion, RegexOptions.CultureInvariant);
        }
        else if (value is ListValue bound)
        {
            var parameter = Add(command, boundName ?? name, bound.Bound);
            bound.Condition!.ParameterSetup?.Invoke(parameter);
        }
        else
        {
            var parameter = Add(command, boundName ?? name, value);
            setUp?.Invoke(parameter);
        }
    }

    /// <summary>Pairs of name and value for logs: a sensitive value as the mask, a list as its first values and its length.</summary>
    public IEnumerable<KeyValuePair<string, object?>> Describe()
    {
        Materialize();
        return _parameters.Take(_count).Select(p => new KeyValuePair<string, object?>(p.Name[1..], p.Sensitive ? SensitiveData.Mask : p.Value is ListValue list ? ParameterDescription.Values(list.Values) : p.Value));
    }

    public IEnumerable<string> SensitiveValues()
    {
        Materialize();
        return _parameters.Take(_count).Where(p => p.Sensitive).SelectMany(p => p.Value is ListValue list ? list.Values : (IEnumerable<object?>)[p.Value])
            .Select(v => v?.ToString() ?? string.Empty).Where(v => v.Length > 0);
    }

    private static IDbDataParameter Add(IDbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
