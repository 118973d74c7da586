using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

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
/// non-generic candidates are loaded; the caller checks them with reflection as before.
/// </remarks>
internal static class MappingClassCandidates
{
    private const byte Unknown = 0;
    private const byte Visiting = 1;
    private const byte No = 2;
    private const byte Yes = 3;

    /// <summary>
    /// The concrete, non-generic types of <paramref name="assembly"/> whose base chain reaches <see cref="ModelConfiguration"/>,
    /// or <see langword="null"/> when the assembly has no raw metadata to read (a dynamic assembly, native AOT).
    /// </summary>
    /// <param name="assembly">The scanned assembly.</param>
    /// <param name="unloadable">Receives each candidate that failed to load, with the loader's message.</param>
    /// <param name="unresolvedBases">Receives each base class in another assembly that failed to load, with the loader's message.</param>
    [RequiresUnreferencedCode(ModelBuilder.ScanTrimmingMessage)]
    public static List<Type>? Find(Assembly assembly, List<string> unloadable, List<string> unresolvedBases)
    {
        var reader = ReaderOf(assembly);
        if (reader is null)
        {
            return null;
        }

        var walk = new Walk(reader, assembly.ManifestModule, unresolvedBases);
        var candidates = new List<Type>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var definition = reader.GetTypeDefinition(handle);
            if ((definition.Attributes & TypeAttributes.Abstract) != 0 || definition.GetGenericParameters().Count > 0 || !walk.Derives(handle))
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
        private readonly Module _module;
        private readonly List<string> _unresolvedBases;
        private readonly byte[] _definitions;
        private readonly byte[] _references;

        public Walk(MetadataReader reader, Module module, List<string> unresolvedBases)
        {
            _reader = reader;
            _module = module;
            _unresolvedBases = unresolvedBases;
            _definitions = new byte[reader.GetTableRowCount(TableIndex.TypeDef) + 1];
            _references = new byte[reader.GetTableRowCount(TableIndex.TypeRef) + 1];
        }

        /// <summary>Whether the type is <c>ModelConfiguration</c> or its base chain reaches it.</summary>
        public bool Derives(TypeDefinitionHandle handle)
        {
            var row = MetadataTokens.GetRowNumber(handle);
            if (_definitions[row] != Unknown)
            {
                return _definitions[row] == Yes; // Visiting: a cycle, which valid metadata does not have
            }

            _definitions[row] = Visiting;
            var definition = _reader.GetTypeDefinition(handle);
            var derives = IsMappingBase(definition.Namespace, definition.Name) || Derives(definition.BaseType);
            _definitions[row] = derives ? Yes : No;
            return derives;
        }

        private bool Derives(EntityHandle baseType)
        {
            if (baseType.IsNil)
            {
                return false; // System.Object, an interface, <Module>
            }

            return baseType.Kind switch
            {
                HandleKind.TypeDefinition => Derives((TypeDefinitionHandle)baseType),
                HandleKind.TypeReference => Derives((TypeReferenceHandle)baseType),
                HandleKind.TypeSpecification => Derives(GenericTypeOf((TypeSpecificationHandle)baseType)),
                _ => false,
            };
        }

        private bool Derives(TypeReferenceHandle handle)
        {
            var row = MetadataTokens.GetRowNumber(handle);
            if (_references[row] != Unknown)
            {
                return _references[row] == Yes;
            }

            var reference = _reader.GetTypeReference(handle);
            var derives = IsMappingBase(reference.Namespace, reference.Name) || (!InFramework(reference) && LoadedDerives(handle));
            _references[row] = derives ? Yes : No;
            return derives;
        }

        // A base class in an application's library, a base map perhaps: loaded, and asked.
        private bool LoadedDerives(TypeReferenceHandle handle)
        {
            try
            {
                return _module.ResolveType(MetadataTokens.GetToken(handle)).IsSubclassOf(typeof(ModelConfiguration));
            }
            catch (Exception e) when (IsLoadFailure(e))
            {
                _unresolvedBases.Add($"{FullName(_reader, handle)} ({e.Message})");
                return false;
            }
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
