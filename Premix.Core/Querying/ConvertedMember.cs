using System.Linq.Expressions;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// A member read into a converted column's value (<c>c.Id.Value</c>): it is the column itself when the converter stores
/// exactly that member (<c>id =&gt; id.Value</c>), so a query compares it with stored values; any other member is not in the database.
/// </summary>
internal static class ConvertedMember
{
    /// <summary>Whether <paramref name="member"/>, read from a value of the converted <paramref name="column"/>, is what its converter stores.</summary>
    public static bool IsStored(ParameterBinding column, MemberExpression member) =>
        column.Property.Converter?.ToProvider.Body is MemberExpression { Expression: ParameterExpression } read && read.Member == member.Member;
}
