using Premix.Mapping;

namespace Premix.Providers;

/// <summary>
/// A dialect that writes many rows of one entity with a single statement, binding one array per column (PostgreSQL's
/// <c>unnest</c>). A commit then sends one statement, whatever the number of rows, with SQL that does not depend on it.
/// </summary>
public interface IArrayWriteDialect
{
    /// <summary>
    /// An INSERT of one row per array position, in array order; when <paramref name="generatedKey"/> is given it returns
    /// that column for each row, in the same order.
    /// </summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="columns">The quoted columns to insert.</param>
    /// <param name="arrays">The array parameter placeholders, one per column.</param>
    /// <param name="generatedKey">The quoted column the database generates, or <see langword="null"/>.</param>
    string InsertFromArrays(string table, IReadOnlyList<string> columns, IReadOnlyList<string> arrays, string? generatedKey);

    /// <summary>
    /// An UPDATE of the rows matched by the filter columns, one row per array position, returning the 1-based position of
    /// each row it matched (so the caller can tell which rows matched none).
    /// </summary>
    /// <param name="table">The quoted, qualified table.</param>
    /// <param name="setColumns">The quoted columns to set (empty for an entity that is all key, whose update matches its row and changes nothing).</param>
    /// <param name="filterColumns">The quoted key columns, then the version column if there is one.</param>
    /// <param name="arrays">The array placeholders: one per set column, then one per filter column.</param>
    /// <param name="versionColumn">The quoted version column, incremented on every matched row; or <see langword="null"/>.</param>
    /// <param name="rowFilter">
    /// A further condition every matched row must meet, over the table's own unqualified columns (the discriminator
    /// values of a subclass of a table-per-hierarchy mapping); or <see langword="null"/>.
    /// </param>
    string UpdateFromArrays(string table, IReadOnlyList<string> setColumns, IReadOnlyList<string> filterColumns, IReadOnlyList<string> arrays, string? versionColumn, string? rowFilter = null);

    /// <summary>
    /// An upsert (or insert-or-ignore) of one row per array position, the arrays named by <see cref="UpsertShape.Parameters"/>,
    /// inserted in array order; or <see langword="null"/> where the engine has none. It answers, for each row it wrote, in any
    /// order, the 1-based array position of the row, then the row <see cref="UpsertShape"/> describes (key, inserted, version),
    /// then a value identifying the written row (PostgreSQL's <c>ctid</c>); a row it did not write (an ignored conflict, a
    /// stale version) has no answer. A written row it cannot place answers a NULL position; one it placed at two positions
    /// answers twice with the same identifying value.
    /// No two positions of one statement may hold the same conflict values, nor a NULL in them (the caller sees to that).
    /// </summary>
    /// <param name="shape">What the statement writes; its placeholders name the arrays.</param>
    string? UpsertFromArrays(UpsertShape shape) => null;

    /// <summary>
    /// The element type of the array that carries values of <paramref name="storageType"/> (after the dialect's
    /// <see cref="ISqlDialect.ParameterConversion"/>), so the driver knows the array's database type.
    /// </summary>
    Type ArrayElementType(Type storageType);

    /// <summary>
    /// The array type a many-row statement binds values of <paramref name="elementType"/> (an <see cref="ArrayElementType"/>)
    /// as: <c>T[]</c>, or <c>T?[]</c> when <paramref name="nullable"/> (a value type whose column can hold NULL). Named in
    /// code, so that native AOT has it (dynamic code cannot make an array type there); <see langword="null"/> when the
    /// dialect names none, and a many-row write of such a column then fails while dynamic code is off. With dynamic code
    /// Premix makes the array type itself and does not ask.
    /// </summary>
    /// <param name="elementType">The element type, as <see cref="ArrayElementType"/> answered it.</param>
    /// <param name="nullable">Whether a value type's elements can be NULL.</param>
    Type? ArrayType(Type elementType, bool nullable) => null;

    /// <summary>
    /// The dialect's <see cref="ISqlDialect.ParameterConversion"/> for <paramref name="property"/> as a typed
    /// <c>Func&lt;TStorage, TElement&gt;</c> (TStorage its storage type, TElement the <see cref="ArrayElementType"/> of it), so
    /// array elements are converted without boxing; <see langword="null"/> when there is no conversion or only the boxed one.
    /// </summary>
    /// <param name="property">The property of the column.</param>
    Delegate? ArrayElementConversion(PropertyModel property);

    /// <summary>
    /// What to set on an array parameter of <paramref name="property"/>'s values (an explicit database type, say), so the
    /// driver does not infer the type from the values; <see langword="null"/> when inferring is cheap. Built once per
    /// column and applied to each array parameter.
    /// </summary>
    /// <param name="property">The property of the column.</param>
    Action<System.Data.IDbDataParameter>? ArrayParameterSetup(PropertyModel property);
}
