using System.Diagnostics.CodeAnalysis;

namespace Premix.Mapping;

/// <summary>
/// Keeps decimal's operator methods in a native AOT binary, for the public methods that take a lambda as an expression
/// tree (Where, OrderBy, Select, HasQueryFilter, BulkUpdate.Set, ...): each names <see cref="Keep"/> in a
/// <see cref="DynamicDependencyAttribute"/>.
/// </summary>
/// <remarks>
/// The C# compiler builds a decimal comparison or arithmetic in an expression tree (<c>x.Price &gt;= min</c>,
/// <c>x.Price + by</c>) without naming decimal's operator method, so the tree's factory looks it up by reflection when the
/// application builds the lambda; native AOT keeps that method for reflection only when something asks for it (without it,
/// building the lambda throws "The binary operator GreaterThanOrEqual is not defined for the types 'System.Decimal' and
/// 'System.Decimal'"). Conversions are not listed: the compiler names their method (op_Implicit, op_Explicit) in the tree,
/// which keeps it.
/// </remarks>
internal static class DecimalOperators
{
    /// <summary>Does nothing: its attributes keep the operators wherever an entry point that names it is kept.</summary>
    [DynamicDependency("op_Addition", typeof(decimal))]
    [DynamicDependency("op_Subtraction", typeof(decimal))]
    [DynamicDependency("op_Multiply", typeof(decimal))]
    [DynamicDependency("op_Division", typeof(decimal))]
    [DynamicDependency("op_Modulus", typeof(decimal))]
    [DynamicDependency("op_UnaryNegation", typeof(decimal))]
    [DynamicDependency("op_UnaryPlus", typeof(decimal))]
    [DynamicDependency("op_Equality", typeof(decimal))]
    [DynamicDependency("op_Inequality", typeof(decimal))]
    [DynamicDependency("op_LessThan", typeof(decimal))]
    [DynamicDependency("op_LessThanOrEqual", typeof(decimal))]
    [DynamicDependency("op_GreaterThan", typeof(decimal))]
    [DynamicDependency("op_GreaterThanOrEqual", typeof(decimal))]
    internal static void Keep()
    {
    }
}
