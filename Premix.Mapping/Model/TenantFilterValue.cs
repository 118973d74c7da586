namespace Premix.Mapping;

/// <summary>
/// The place of the current tenant in the predicate <c>HasTenantColumn</c> declares (<c>x.TenantId == TenantFilterValue.Current</c>):
/// the query filters recognise this member and bind the tenant of the unit of work in its stead, so it is never evaluated.
/// </summary>
internal static class TenantFilterValue
{
    /// <summary>Never read: the query filters put the unit of work's tenant in its place.</summary>
    /// <exception cref="InvalidOperationException">Always: reading it means a path bound no tenant.</exception>
    public static string Current => throw new InvalidOperationException("The tenant column's filter was evaluated without a tenant; Premix binds the unit of work's tenant in its place.");

    /// <summary>Whether <paramref name="node"/> is the tenant's place.</summary>
    public static bool Is(System.Linq.Expressions.Expression node) =>
        node is System.Linq.Expressions.MemberExpression { Expression: null, Member: var member } && member.DeclaringType == typeof(TenantFilterValue);
}
