using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Premix.Mapping;

/// <summary>
/// Finds an assembly's mapping classes from its metadata, loading only them: <see cref="Assembly.GetTypes"/> would load
/// every type and so every assembly their base classes live in (an application's EF Core <c>DbContext</c>, its
/// controllers and hosted services), and fails whole when one unrelated type cannot load.
/// </summary>
/// <remarks>
/// Each type definition's base chain is walked in metadata. A reference to <c>Premix.Mapping.ModelConfiguration`1</c> (or
/// <c>ModelConfiguration</c>) makes the type a candidate; a reference into an assembly that cannot hold a mapping base
/// class (<c>System</c>, <c>System.*</c>, <c>Microsoft.*</c>, <c>netstandard</c>, <c>mscorlib</c>) ends the walk; any
/// other reference (a base map in a library of the application's) is loaded and checked with reflection. Only concrete,
/// non-generic candidates are loaded; the caller checks them with reflection as before. A base class that fails to load
/// in an assembly that does load and references Premix.Mapping may be a base map: the types deriving from it are reported
/// as unloadable mapping classes rather than passed over.
/// </remarks>
internal static class MappingClassCandidates
{
    private const byte Unknown = 0;
    private const byte Visiting = 1;
    private const byte No = 2;
    private const byte Yes = 3;
    private const byte Maybe = 4; // the chain reaches a class that failed to load in an assembly referencing Premix.Mapping

    /// <summary>
    /// The concrete, non-generic types of <paramref name="assembly"/> whose base chain reaches <see cref="ModelConfiguration"/>,
    /// or <see langword="null"/> when the assembly has no raw metadata to read (a dynamic assembly, native AOT).
    /// </summary>
    /// <param name="assembly">The scanned assembly.</param>
    /// <param name="unloadable">Receives each candidate that failed to load, with the loader's message.</param>
    /// <param name="unresolvedBases">Receives each base class in another assembly that failed to load, with the loader's message.</param>
    /// <remarks>Under native AOT there is no raw metadata, so the reader is not even reached (and trimmed away).</remarks>
    [RequiresUnreferencedCode(ModelBuilder.ScanTrimmingMessage)]
    public static List<Type>? Find(Assembly assembly, List<string> unloadable, List<string> unresolvedBases)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return null; // native AOT: TryGetRawMetadata always fails there; a constant, so ILC drops the reader
        }

        var reader = ReaderOf(assembly);
        if (reader is null)
        {
            return null;
        }

        var walk = new Walk(reader, assembly, unresolvedBases);
        var candidates = new List<Type>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var definition = reader.GetTypeDefinition(handle);
            if ((definition.Attributes & TypeAttributes.Abstract) != 0 || definition.GetGenericParameters().Count > 0)
            {
                continue;
            }

            var derives = walk.Derives(handle);
            if (derives == Maybe)
            {
                unloadable.Add($"{FullName(reader, handle)} (its base class {walk.FailureOf(handle)})");
                continue;
            }

            if (derives != Yes)
            {
                continue;
            }

            try
            {
                candidates.Add(assembly.ManifestModule.ResolveType(MetadataTokens.GetToken(handle)));
            }
            catch (Exception e) when (IsLoadFailure(e))
            {
                unloadable.Add($"{FullName(reader, handle)} ({e.Message})");
            }
        }

        GC.KeepAlive(assembly); // the metadata lives in the assembly's image
        return candidates;
    }

    private static unsafe MetadataReader? ReaderOf(Assembly assembly) =>
        !assembly.IsDynamic && assembly.TryGetRawMetadata(out var blob, out var length) ? new MetadataReader(blob, length) : null;

    private static bool IsLoadFailure(Exception e) => e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException;

    // Namespace.Outer+Nested, as Type.FullName writes it.
    private static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var definition = reader.GetTypeDefinition(handle);
        var name = reader.GetString(definition.Name);
        var outer = definition.GetDeclaringType();
        if (!outer.IsNil)
        {
            return FullName(reader, outer) + "+" + name;
        }

        return definition.Namespace.IsNil ? name : reader.GetString(definition.Namespace) + "." + name;
    }

    private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var reference = reader.GetTypeReference(handle);
        var name = reader.GetString(reference.Name);
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name;
        }

        return reference.Namespace.IsNil ? name : reader.GetString(reference.Namespace) + "." + name;
    }

    // One walk over one assembly's metadata: what each type definition and type reference was found to be, by row.
    [RequiresUnreferencedCode(ModelBuilder.ScanTrimmingMessage)]
    private sealed class Walk
    {
        private readonly MetadataReader _reader;
        private readonly Assembly _assembly;
        private readonly Module _module;
        private readonly List<string> _unresolvedBases;
        private readonly byte[] _definitions;
        private readonly byte[] _references;
        private readonly string?[] _referenceFailures;

        public Walk(MetadataReader reader, Assembly assembly, List<string> unresolvedBases)
        {
            _reader = reader;
            _assembly = assembly;
            _module = assembly.ManifestModule;
            _unresolvedBases = unresolvedBases;
            _definitions = new byte[reader.GetTableRowCount(TableIndex.TypeDef) + 1];
            _references = new byte[reader.GetTableRowCount(TableIndex.TypeRef) + 1];
            _referenceFailures = new string?[_references.Length];
        }

        /// <summary>
        /// <see cref="Yes"/> when the type is <c>ModelConfiguration</c> or its base chain reaches it, <see cref="Maybe"/>
        /// when the chain reaches a class that failed to load and may be a base map, <see cref="No"/> otherwise.
        /// </summary>
        public byte Derives(TypeDefinitionHandle handle)
        {
            var row = MetadataTokens.GetRowNumber(handle);
            if (_definitions[row] != Unknown)
            {
                return _definitions[row] == Visiting ? No : _definitions[row]; // Visiting: a cycle, which valid metadata does not have
            }

            _definitions[row] = Visiting;
            var definition = _reader.GetTypeDefinition(handle);
            var derives = IsMappingBase(definition.Namespace, definition.Name) ? Yes : Derives(definition.BaseType);
            _definitions[row] = derives;
            return derives;
        }

        /// <summary>For a type whose <see cref="Derives(TypeDefinitionHandle)"/> is <see cref="Maybe"/>: the class that failed to load, and the loader's message.</summary>
        public string? FailureOf(TypeDefinitionHandle handle) => FailureOf(_reader.GetTypeDefinition(handle).BaseType);

        private string? FailureOf(EntityHandle baseType) => baseType.IsNil ? null : baseType.Kind switch
        {
            HandleKind.TypeDefinition => FailureOf((TypeDefinitionHandle)baseType),
            HandleKind.TypeReference => _referenceFailures[MetadataTokens.GetRowNumber((TypeReferenceHandle)baseType)],
            HandleKind.TypeSpecification => FailureOf(GenericTypeOf((TypeSpecificationHandle)baseType)),
            _ => null,
        };

        private byte Derives(EntityHandle baseType)
        {
            if (baseType.IsNil)
            {
                return No; // System.Object, an interface, <Module>
            }

            return baseType.Kind switch
            {
                HandleKind.TypeDefinition => Derives((TypeDefinitionHandle)baseType),
                HandleKind.TypeReference => Derives((TypeReferenceHandle)baseType),
                HandleKind.TypeSpecification => Derives(GenericTypeOf((TypeSpecificationHandle)baseType)),
                _ => No,
            };
        }

        private byte Derives(TypeReferenceHandle handle)
        {
            var row = MetadataTokens.GetRowNumber(handle);
            if (_references[row] != Unknown)
            {
                return _references[row];
            }

            var reference = _reader.GetTypeReference(handle);
            var derives = IsMappingBase(reference.Namespace, reference.Name) ? Yes : InFramework(reference) ? No : LoadedDerives(handle, reference);
            _references[row] = derives;
            return derives;
        }

        // A base class in an application's library, a base map perhaps: loaded, and asked. When it fails to load, it may
        // be a base map if its assembly does load and references Premix.Mapping (only its own base or interfaces failed).
        private byte LoadedDerives(TypeReferenceHandle handle, TypeReference reference)
        {
            try
            {
                return _module.ResolveType(MetadataTokens.GetToken(handle)).IsSubclassOf(typeof(ModelConfiguration)) ? Yes : No;
            }
            catch (Exception e) when (IsLoadFailure(e))
            {
                var failure = $"{FullName(_reader, handle)} ({e.Message})";
                _unresolvedBases.Add(failure);
                if (!MayHoldMaps(reference))
                {
                    return No;
                }

                _referenceFailures[MetadataTokens.GetRowNumber(handle)] = failure + " could not load";
                return Maybe;
            }
        }

        // Whether the assembly the reference leads into loads and references Premix.Mapping (read from its metadata).
        private bool MayHoldMaps(TypeReference reference)
        {
            var scope = reference.ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                scope = _reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            }

            Assembly holder;
            if (scope.Kind == HandleKind.AssemblyReference)
            {
                try
                {
                    var context = AssemblyLoadContext.GetLoadContext(_assembly) ?? AssemblyLoadContext.Default;
                    holder = context.LoadFromAssemblyName(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).GetAssemblyName());
                }
                catch (Exception e) when (IsLoadFailure(e))
                {
                    return false; // the library itself is missing: nothing tells whether it held a base map
                }
            }
            else
            {
                holder = _assembly;
            }

            return holder.GetReferencedAssemblies().Any(a => a.Name == typeof(ModelConfiguration).Assembly.GetName().Name);
        }

        // The class a generic instantiation (Base<Customer>) instantiates; a base type's type specification is always one.
        private EntityHandle GenericTypeOf(TypeSpecificationHandle handle)
        {
            var signature = _reader.GetBlobReader(_reader.GetTypeSpecification(handle).Signature);
            return signature.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance && signature.ReadSignatureTypeCode() == SignatureTypeCode.TypeHandle
                ? signature.ReadTypeHandle()
                : default;
        }

        private bool IsMappingBase(StringHandle @namespace, StringHandle name) =>
            _reader.StringComparer.Equals(@namespace, "Premix.Mapping")
            && (_reader.StringComparer.Equals(name, "ModelConfiguration`1") || _reader.StringComparer.Equals(name, "ModelConfiguration"));

        // Whether the reference leads into the framework, which holds no mapping class (the outermost type of a nested one decides).
        private bool InFramework(TypeReference reference)
        {
            var scope = reference.ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                scope = _reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            }

            if (scope.IsNil || scope.Kind != HandleKind.AssemblyReference)
            {
                return false; // this module, another module of it, or an exported type: loaded to be sure
            }

            var name = _reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name;
            var strings = _reader.StringComparer;
            return strings.Equals(name, "System") || strings.StartsWith(name, "System.") || strings.StartsWith(name, "Microsoft.")
                || strings.Equals(name, "netstandard") || strings.Equals(name, "mscorlib");
        }
    }
}
