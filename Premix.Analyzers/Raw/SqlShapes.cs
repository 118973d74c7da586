using System.Collections.Generic;
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
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when !IsFragment(concatenation, depth) => "a concatenation",
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

    // A local is what is assigned to it in its method: built from values when any assignment is, or when a value is
    // appended to it with += (appending constant fragments, the optional-filter idiom, is fine).
    private static string? Local(ILocalReferenceOperation local, int depth)
    {
        foreach (var (assigned, appended) in Assignments(local))
        {
            if (appended && !IsFragment(assigned, depth + 1))
            {
                return "the local " + local.Local.Name + ", appended to with += from values";
            }

            if (!appended && Describe(assigned, depth + 1) is { } shape)
            {
                return "the local " + local.Local.Name + ", " + shape;
            }
        }

        return null;
    }

    // A piece of a concatenation that holds no value: a constant, a readonly field (as Describe treats one passed alone),
    // a choice between such pieces, or a local only such pieces are assigned or appended to. A parameter, a property or a
    // method's result is a value here: "... WHERE name = '" + name is the injection itself.
    private static bool IsFragment(IOperation value, int depth)
    {
        value = Unwrapped(value);
        if (value.ConstantValue.HasValue || depth > MaxDepth)
        {
            return true;
        }

        return value switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation => IsFragment(concatenation.LeftOperand, depth + 1) && IsFragment(concatenation.RightOperand, depth + 1),
            IConditionalOperation conditional => conditional.WhenFalse is not null && IsFragment(conditional.WhenTrue, depth + 1) && IsFragment(conditional.WhenFalse, depth + 1),
            ICoalesceOperation coalesce => IsFragment(coalesce.Value, depth + 1) && IsFragment(coalesce.WhenNull, depth + 1),
            IFieldReferenceOperation { Field.IsReadOnly: true } => true,
            ILocalReferenceOperation local => Assignments(local).All(assignment => IsFragment(assignment.Value, depth + 1)),
            _ => false,
        };
    }

    // The values assigned to a local in its method (initializer, =) and those appended to it (+=).
    private static IEnumerable<(IOperation Value, bool Appended)> Assignments(ILocalReferenceOperation local)
    {
        var root = local.Parent;
        while (root?.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root?.Descendants() ?? Enumerable.Empty<IOperation>())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local):
                    yield return (initial, false);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local.Local):
                    yield return (assignment.Value, false);
                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound when SymbolEqualityComparer.Default.Equals(target.Local, local.Local):
                    yield return (compound.Value, true);
                    break;
            }
        }
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
