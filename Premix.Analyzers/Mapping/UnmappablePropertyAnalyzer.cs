using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Mapping;

/// <summary>
/// PMX1004: a public settable property of an entity, declared on the entity class a <c>ModelConfiguration&lt;T&gt;</c> in
/// this compilation maps, whose type no convention stores (<see cref="StorableTypes"/>) and which the map's
/// <c>Configure</c> never names (to ignore, own, relate, convert or store it as JSON). Premix maps every other public
/// property by convention, so only these fail at startup. Reported when the compilation ends, so that a model-wide
/// <c>Convert&lt;TModel, TProvider&gt;(...)</c> anywhere in it is taken into account.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmappablePropertyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.Unmappable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("Premix.Mapping.ModelConfiguration`1") is not { } configuration)
            {
                return;
            }

            var candidates = new ConcurrentBag<(IPropertySymbol Property, INamedTypeSymbol Map, Location Location)>();
            var converted = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            var opaque = 0; // 1 after a Convert(ValueConverter) whose model type is not visible: the rule stays silent
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol is IMethodSymbol { Name: "Configure", IsOverride: true } configure && MappedEntity(configure.ContainingType, configuration) is { } entity)
                {
                    Collect(block, configure, entity, candidates);
                }
            });
            start.RegisterOperationAction(operation =>
            {
                var call = (IInvocationOperation)operation.Operation;
                if (call.TargetMethod is { Name: "Convert", ContainingNamespace.Name: "Premix" or "Mapping" } convert)
                {
                    if (convert.TypeArguments.Length == 2)
                    {
                        converted[convert.TypeArguments[0]] = true;
                    }
                    else if (call.Arguments.FirstOrDefault()?.Value is { Type: INamedTypeSymbol { TypeArguments.Length: 2 } typed })
                    {
                        converted[typed.TypeArguments[0]] = true;
                    }
                    else
                    {
                        System.Threading.Interlocked.Exchange(ref opaque, 1);
                    }
                }
            }, OperationKind.Invocation);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var (property, map, location) in candidates)
                {
                    if (System.Threading.Volatile.Read(ref opaque) == 0 && !converted.ContainsKey(StorableTypes.Underlying(property.Type)))
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Rules.Unmappable, location, property.ContainingType.Name, property.Name, property.Type.ToDisplayString(), map.Name));
                    }
                }
            });
        });
    }

    private static void Collect(OperationBlockAnalysisContext block, IMethodSymbol configure, INamedTypeSymbol entity, ConcurrentBag<(IPropertySymbol, INamedTypeSymbol, Location)> candidates)
    {
        var named = new HashSet<string>(block.OperationBlocks.SelectMany(o => o.DescendantsAndSelf()).OfType<IPropertyReferenceOperation>()
            .Where(p => p.Instance is IParameterReferenceOperation).Select(p => p.Property.Name));
        foreach (var property in entity.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                || property.SetMethod?.DeclaredAccessibility != Accessibility.Public || named.Contains(property.Name) || StorableTypes.ByConvention(property.Type))
            {
                continue;
            }

            candidates.Add((property, configure.ContainingType, configure.Locations.FirstOrDefault() ?? Location.None));
        }
    }

    // The T of a class deriving from ModelConfiguration<T>.
    private static INamedTypeSymbol? MappedEntity(INamedTypeSymbol map, INamedTypeSymbol configuration)
    {
        for (var type = map.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, configuration))
            {
                return type.TypeArguments[0] as INamedTypeSymbol;
            }
        }

        return null;
    }
}
