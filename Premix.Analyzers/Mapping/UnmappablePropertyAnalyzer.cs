using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Premix.Analyzers.Mapping;

/// <summary>
/// PMX1004: a public settable property of an entity (declared on it or inherited, as the run time maps both) that a
/// <c>ModelConfiguration&lt;T&gt;</c> in this compilation maps, whose type no convention stores (<see cref="StorableTypes"/>)
/// and which no member of the map (<c>Configure</c>, a helper it calls, a base map's) names, to ignore, own, relate,
/// convert or store it as JSON. Premix maps every other public property by convention, so only these fail at startup.
/// Reported when the compilation ends, so that a model-wide <c>Convert&lt;TModel, TProvider&gt;(...)</c> of
/// <c>ModelBuilder</c> or <c>PremixOptionsBuilder</c> anywhere in it is taken into account.
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

            var builders = new[] { start.Compilation.GetTypeByMetadataName("Premix.Mapping.ModelBuilder"), start.Compilation.GetTypeByMetadataName("Premix.PremixOptionsBuilder") }
                .OfType<ITypeSymbol>().ToImmutableHashSet(SymbolEqualityComparer.Default);
            var maps = new ConcurrentBag<INamedTypeSymbol>();
            var named = new ConcurrentDictionary<INamedTypeSymbol, ConcurrentDictionary<string, bool>>(SymbolEqualityComparer.Default);
            var converted = new ConcurrentDictionary<ITypeSymbol, bool>(SymbolEqualityComparer.Default);
            var opaque = 0; // 1 after a Convert(ValueConverter) whose model type is not visible: the rule stays silent
            start.RegisterSymbolAction(symbol =>
            {
                if (symbol.Symbol is INamedTypeSymbol { IsAbstract: false } map && MappedEntity(map, configuration) is not null)
                {
                    maps.Add(map);
                }
            }, SymbolKind.NamedType);
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol.ContainingType is { } owner && MapBase(owner, configuration) is not null)
                {
                    var names = named.GetOrAdd(owner.OriginalDefinition, _ => new ConcurrentDictionary<string, bool>());
                    foreach (var name in PropertiesNamed(block.OperationBlocks))
                    {
                        names[name] = true;
                    }
                }
            });
            start.RegisterOperationAction(operation =>
            {
                var call = (IInvocationOperation)operation.Operation;
                if (call.TargetMethod.Name == "Convert" && builders.Contains(call.TargetMethod.ContainingType))
                {
                    if (call.TargetMethod.TypeArguments.Length == 2)
                    {
                        converted[call.TargetMethod.TypeArguments[0]] = true;
                    }
                    else if (call.Arguments.FirstOrDefault()?.Value is { Type: INamedTypeSymbol { TypeArguments.Length: 2 } typed })
                    {
                        converted[typed.TypeArguments[0]] = true;
                    }
                    else
                    {
                        Interlocked.Exchange(ref opaque, 1);
                    }
                }
            }, OperationKind.Invocation);
            start.RegisterCompilationEndAction(end =>
            {
                if (Volatile.Read(ref opaque) == 1)
                {
                    return;
                }

                foreach (var map in maps)
                {
                    var mapNames = Hierarchy(map).SelectMany(type => named.TryGetValue(type.OriginalDefinition, out var names) ? names.Keys : Enumerable.Empty<string>()).ToImmutableHashSet();
                    var location = Hierarchy(map).SelectMany(type => type.GetMembers("Configure")).FirstOrDefault(m => m.Locations.FirstOrDefault()?.IsInSource == true)?.Locations[0]
                        ?? map.Locations.FirstOrDefault() ?? Location.None;
                    foreach (var property in Unstorable(MappedEntity(map, configuration)!).Where(p => !mapNames.Contains(p.Name) && !converted.ContainsKey(StorableTypes.Underlying(p.Type))))
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Rules.Unmappable, location, property.ContainingType.Name, property.Name, property.Type.ToDisplayString(), map.Name));
                    }
                }
            });
        });
    }

    // The entity's public settable properties, its own and inherited (a redeclared one once), whose type no convention stores.
    private static IEnumerable<IPropertySymbol> Unstorable(INamedTypeSymbol entity)
    {
        var seen = new HashSet<string>();
        foreach (var property in Hierarchy(entity).SelectMany(type => type.GetMembers().OfType<IPropertySymbol>()))
        {
            if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public && seen.Add(property.Name)
                && property.SetMethod?.DeclaredAccessibility == Accessibility.Public && !StorableTypes.ByConvention(property.Type))
            {
                yield return property;
            }
        }
    }

    // The properties a map's member names through a lambda's parameter (e.Ignore(o => o.Total)).
    private static IEnumerable<string> PropertiesNamed(ImmutableArray<IOperation> blocks) =>
        blocks.SelectMany(o => o.DescendantsAndSelf()).OfType<IPropertyReferenceOperation>().Where(p => p.Instance is IParameterReferenceOperation).Select(p => p.Property.Name);

    // The type and its base types, up to object (excluded).
    private static IEnumerable<INamedTypeSymbol> Hierarchy(INamedTypeSymbol type)
    {
        for (var current = type; current is { SpecialType: not SpecialType.System_Object }; current = current.BaseType)
        {
            yield return current;
        }
    }

    // The T of a class deriving from ModelConfiguration<T>, when T is a class (not a generic base map's type parameter).
    private static INamedTypeSymbol? MappedEntity(INamedTypeSymbol map, INamedTypeSymbol configuration) =>
        MapBase(map, configuration)?.TypeArguments[0] as INamedTypeSymbol;

    // The ModelConfiguration<T> a class derives from, or null.
    private static INamedTypeSymbol? MapBase(INamedTypeSymbol map, INamedTypeSymbol configuration)
    {
        for (var type = map.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, configuration))
            {
                return type;
            }
        }

        return null;
    }
}
