using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Querying;

/// <summary>Reads the lambda of an expression-tree argument (<c>Where(x =&gt; ...)</c>) out of its conversions.</summary>
internal static class Lambdas
{
    public static IAnonymousFunctionOperation? Of(IOperation argument)
    {
        while (argument is IConversionOperation or IDelegateCreationOperation)
        {
            argument = argument is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)argument).Target;
        }

        return argument as IAnonymousFunctionOperation;
    }

    /// <summary>The value an expression lambda returns (<c>x =&gt; value</c>), or null for a block body.</summary>
    public static IOperation? ReturnedValue(IAnonymousFunctionOperation lambda) =>
        lambda.Body.Operations.Length == 1 && lambda.Body.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value : null;

    /// <summary>Whether <paramref name="operation"/> reads the lambda's parameter anywhere inside it.</summary>
    public static bool ReadsParameter(IOperation operation, IAnonymousFunctionOperation lambda) =>
        lambda.Symbol.Parameters.Length == 1
        && (operation is IParameterReferenceOperation self && SymbolEqualityComparer.Default.Equals(self.Parameter, lambda.Symbol.Parameters[0])
            || operation.Descendants().OfType<IParameterReferenceOperation>().Any(p => SymbolEqualityComparer.Default.Equals(p.Parameter, lambda.Symbol.Parameters[0])));
}
