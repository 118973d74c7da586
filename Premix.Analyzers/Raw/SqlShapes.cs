using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Raw;

/// <summary>
/// Tells which of the shapes that build a string from values an expression is (efcore#10080's and EF1002/EF1003's, plus
/// <c>string.Format</c>/<c>Concat</c>/<c>Join</c> and <c>StringBuilder</c>, which EF still misses), or null when it is a
/// constant or something this analysis cannot judge (a parameter, a method's result, a readonly field).
/// </summary>
internal static class SqlShapes
{
    // A local assigned from a local assigned from ...: followed this far, then left alone.
    private const int MaxDepth = 8;

    public static string? Describe(IOperation value, int depth = 0)
    {
        value = Unwrapped(value);
        if (value.ConstantValue.HasValue || depth > MaxDepth)
        {
            return null;
        }

        return value switch
        {
            IInterpolatedStringOperation => "an interpolated string turned into a plain string (its holes are pasted into the text)",
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } => "a concatenation",
            IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, Name: "Format" or "Concat" or "Join" } method } => "a string." + method.Name + "(...) result",
            IInvocationOperation { TargetMethod.Name: "ToString", Instance.Type: { Name: "StringBuilder", ContainingNamespace: { Name: "Text", ContainingNamespace.Name: "System" } } } => "a StringBuilder's text",
            IConditionalOperation conditional => Either(conditional.WhenTrue, conditional.WhenFalse, depth),
            ICoalesceOperation coalesce => Either(coalesce.Value, coalesce.WhenNull, depth),
            ILocalReferenceOperation local => Local(local, depth),
            IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: false } field } => "the mutable field " + field.Name,
            _ => null,
        };
    }

    private static string? Either(IOperation? first, IOperation? second, int depth) =>
        (first is null ? null : Describe(first, depth + 1)) ?? (second is null ? null : Describe(second, depth + 1));

    // A local is what is assigned to it in its method: built from values when any assignment is.
    private static string? Local(ILocalReferenceOperation local, int depth)
    {
        var root = local.Parent;
        while (root?.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root?.Descendants() ?? Enumerable.Empty<IOperation>())
        {
            var assigned = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local.Local) => assignment.Value,
                ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local.Local) => operation,
                _ => null,
            };
            if (assigned is ICompoundAssignmentOperation)
            {
                return "the local " + local.Local.Name + ", appended to with +=";
            }

            if (assigned is not null && Describe(assigned, depth + 1) is { } shape)
            {
                return "the local " + local.Local.Name + ", " + shape;
            }
        }

        return null;
    }

    private static IOperation Unwrapped(IOperation value)
    {
        while (value is IConversionOperation or IParenthesizedOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)value).Operand;
        }

        return value;
    }
}
