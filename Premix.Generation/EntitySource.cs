using System.Reflection;
using System.Text;
using Premix.Mapping;
using Premix.Plans;
using Premix.Providers;
using Premix.Tracking;

namespace Premix.Generation;

/// <summary>
/// Writes one entity's generated code: a static class whose <c>Description</c> is the data the model's
/// <see cref="GeneratedEntity"/> of the plan is read from (its table, columns, relations and the statements' SQL: what the
/// start compares, <see cref="GeneratedDescription"/>), and whose <c>Code</c>
/// makes its delegates on the entity's first use (<see cref="GeneratedEntityCode"/>): a getter, setter and comparer per
/// property, the navigation accessors of each relation it declares, an ordinal row reader and the snapshot copy and assign.
/// Members that are not public are reached through <c>UnsafeAccessor</c>: no reflection at run time.
/// </summary>
internal sealed class EntitySource
{
    private const string WallClock = "WallClock";

    private readonly EntityPlan _plan;
    private readonly IReadOnlyList<RelationPlan> _relations;
    private readonly ISqlDialect _dialect;
    private readonly string _type;
    // The index of a property's type in the model's type list, which the description names types by.
    private readonly Func<Type, int> _types;
    private readonly StringBuilder _accessors = new();
    // Each accessor's name per property getter or setter: CSharpText.Identifier maps every character C# names cannot hold to
    // '_', so two properties (A_B and AéB) can share a name, and each gets its own accessor.
    private readonly Dictionary<(PropertyInfo Property, bool Getter), string> _accessorNames = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    // The typed methods of each converted property's conversions (ConverterText), written once each.
    private readonly StringBuilder _conversions = new();
    private readonly Dictionary<PropertyModel, Conversion> _conversionNames = [];
    // The value objects (Owns), outer ones first, and the methods copying those that hold a nested one without a setter.
    private readonly List<OwnedModel> _valueObjects;
    private readonly StringBuilder _copies = new();
    private readonly Dictionary<OwnedModel, string> _copyNames = [];
    // Numbers the locals and pattern variables of value objects (o_1, owned2): unique in the file, so never two in one scope.
    private int _locals;
    private bool _readsWallClock;
    // Each generated filter's values as C#, printed once for the description and the code (refused before generation otherwise).
    private readonly Dictionary<QueryFilterModel, List<string>> _filterValues;

    public EntitySource(EntityPlan plan, IReadOnlyList<RelationPlan> relations, ISqlDialect dialect, string className, Func<Type, int> types)
    {
        _types = types;
        _plan = plan;
        _relations = relations;
        _dialect = dialect;
        ClassName = className;
        _type = CSharpText.TypeName(plan.Entity.ClrType);
        _valueObjects = GeneratedValueObject.Of(plan.Entity);
        _filterValues = plan.Entity.QueryFilters.Where(GeneratedFilter.IsGenerated)
            .ToDictionary(f => f, f => GeneratedFilter.ValuesOf(f, plan.Entity.ClrType, out _)!);
    }

    /// <summary>The generated class's name.</summary>
    public string ClassName { get; }

    /// <summary>The file's C# text.</summary>
    public string Write(string @namespace, string header)
    {
        var entity = _plan.Entity;
        var body = new StringBuilder();
        // Data, not an initializer: a const string compiles to no code, and GeneratedEntity reads it with Premix's shared
        // code, so reading the model JIT-compiles no method per entity (docs/performance.md).
        body.Append("    /// <summary>The generated model's description of ").Append(entity.Name).Append(" (table ").Append(GeneratedModelCheck.TableOf(entity))
            .AppendLine("): its table, properties, relations and statements' SQL, compared with the mapping at every start.</summary>");
        body.AppendLine("    internal const string Description =");
        var lines = new List<string> { GeneratedDescription.Table(GeneratedModelCheck.TableOf(entity)) };
        foreach (var property in entity.Properties)
        {
            var converter = property.Converter is { } c ? ConverterText.Describe(c, ConverterText.HomeOf(property)) : null;
            lines.Add(GeneratedDescription.Property(property.Name, property.Column, _types(property.PropertyType), ReadShape.Of(property, _dialect), converter));
        }

        foreach (var owner in _valueObjects)
        {
            lines.Add(GeneratedDescription.ValueObject(owner.Name, _types(owner.ClrType), GeneratedValueObject.ShapeOf(owner, entity)));
        }

        foreach (var relation in _relations)
        {
            var navigation = relation.Relation.Navigation;
            lines.Add(GeneratedDescription.Relation(GeneratedRelation.ShapeOf(relation.Relation), navigation?.Name, navigation?.SetMethod is { IsPublic: true }));
        }

        var filters = _plan.Filters.Filters;
        for (var i = 0; i < filters.Count; i++)
        {
            if (GeneratedFilter.IsGenerated(filters[i]))
            {
                lines.Add(GeneratedDescription.Filter(filters[i].Name, filters[i].LiftsOnlyExplicitly, _plan.Filters.Sql(i, _plan, _dialect), _filterValues[filters[i]]));
            }
        }

        foreach (var statement in _plan.Statements)
        {
            lines.Add(GeneratedDescription.Statement(statement.Name, statement.Sql, statement.ParameterNames));
        }

        body.Append(string.Join(" +\n", lines.Select(l => "        " + CSharpText.Literal(l)))).AppendLine(";");
        body.AppendLine();
        body.Append(Code()).AppendLine();
        body.Append(ReadRow()).AppendLine();
        body.Append(Copy()).AppendLine();
        body.Append(Assign());
        if (_readsWallClock)
        {
            body.AppendLine();
            body.AppendLine("    // A wall-clock column must not turn out to hold instants (RowReaders does the same check).");
            body.Append("    private static global::System.DateTime ").Append(WallClock)
                .AppendLine("(global::System.DateTime value, string problem) => value.Kind != global::System.DateTimeKind.Utc ? value : throw new global::System.InvalidCastException(problem);");
        }

        if (_conversions.Length > 0)
        {
            body.AppendLine();
            body.Append(_conversions);
        }

        if (_copies.Length > 0)
        {
            body.AppendLine();
            body.Append(_copies);
        }

        if (_accessors.Length > 0)
        {
            body.AppendLine();
            body.Append(_accessors);
        }

        return $"{header}\nnamespace {@namespace};\n\n/// <summary>Premix's generated plan code of {entity.Name}: accessors, row reader and snapshots, no reflection and no compiled expressions.</summary>\ninternal static class {ClassName}\n{{\n{body}}}\n".ReplaceLineEndings("\n");
    }

    // The delegates, in a method the model calls once, on the entity's first use: reading the model creates none of them
    // (nor the class holding the lambdas, nor their JIT-compiled code), so a start costs the descriptions alone.
    private string Code()
    {
        var text = new StringBuilder();
        text.Append("    // The delegates of ").Append(_plan.Entity.Name).AppendLine(", in the order of its description: made once, on its first use (GeneratedEntity.Code).");
        text.AppendLine("    internal static global::Premix.Plans.GeneratedEntityCode Code() => new()");
        text.AppendLine("    {");
        text.AppendLine("        Properties =");
        text.AppendLine("        [");
        foreach (var property in _plan.Entity.Properties)
        {
            text.Append(Property(property));
        }

        text.AppendLine("        ],");
        if (_relations.Count > 0)
        {
            text.AppendLine("        Relations =");
            text.AppendLine("        [");
            foreach (var relation in _relations)
            {
                text.Append(Relation(relation));
            }

            text.AppendLine("        ],");
        }

        var filters = _plan.Entity.QueryFilters.Where(GeneratedFilter.IsGenerated).ToList();
        if (filters.Count > 0)
        {
            // Each value a filter reads on every query, printed from its predicate (the start prints it again and compares).
            text.AppendLine("        Filters =");
            text.AppendLine("        [");
            foreach (var filter in filters)
            {
                var values = _filterValues[filter];
                text.Append("            new global::Premix.Plans.GeneratedFilterCode(").Append(CSharpText.Literal(filter.Name)).Append(", [")
                    .Append(string.Join(", ", values.Select(v => $"static () => (object)({v})"))).AppendLine("]),");
            }

            text.AppendLine("        ],");
        }

        text.AppendLine("        ReadRow = ReadRow,");
        text.AppendLine("        Copy = Copy,");
        text.AppendLine("        Assign = Assign,");
        text.AppendLine("    };");
        return text.ToString();
    }

    private string Property(PropertyModel property)
    {
        var type = CSharpText.TypeName(property.PropertyType);
        // A converted property compares its stored values, as Snapshots.Comparer does: whether the column would change.
        var conversion = property.Converter is null ? null : ConversionOf(property);
        var compared = conversion is null ? type : CSharpText.TypeName(PropertyAccessors.StoredPropertyType(property));
        string Compared(string entity) => conversion is null ? Read(property, entity) : $"{conversion.Stored}(({_type}){entity})";
        var same = (conversion is null ? property.ValueType : property.StoredType) == typeof(byte[])
            ? $"static (a, b) => {Bytes(Compared("a"), Compared("b"))}"
            : $"static (a, b) => global::System.Collections.Generic.EqualityComparer<{compared}>.Default.Equals({Compared("a")}, {Compared("b")})";
        var text = new StringBuilder();
        text.Append("            new(").Append(CSharpText.Literal(property.Name)).AppendLine(")");
        text.AppendLine("            {");
        text.Append("                Get = static e => ").Append(Read(property, "e")).AppendLine(",");
        text.Append("                Set = ").Append(Set(property, type)).AppendLine(",");
        text.Append("                Same = ").Append(same).AppendLine(",");
        if (property == _plan.GeneratedKey && GeneratedPropertyCode.ChecksDefault(property))
        {
            text.Append("                IsDefault = static e => global::System.Collections.Generic.EqualityComparer<").Append(type).Append(">.Default.Equals(").Append(Read(property, "e")).Append(", default),").AppendLine();
        }

        if (conversion is not null)
        {
            var converter = property.Converter!;
            text.Append("                ReadStored = static e => ").Append(conversion.Stored).Append("((").Append(_type).AppendLine(")e),");
            text.Append("                ToStored = static v => ").Append(conversion.To).Append("((").Append(CSharpText.TypeName(converter.ModelType)).AppendLine(")v),");
            text.Append("                FromStored = static v => ").Append(conversion.From).Append("((").Append(CSharpText.TypeName(converter.ProviderType)).AppendLine(")v),");
        }

        text.AppendLine("            },");
        return text.ToString();
    }

    // Sets an entity's property from its value, boxed. A value object's member is set on the object the entity holds (none:
    // nothing to set), as PropertyAccessors.StoredSetter does; one without a setter is only ever taken by its constructor.
    private string Set(PropertyModel property, string type)
    {
        if (property.Owner is not { } owner)
        {
            return $"static (e, v) => {Write(property, $"(({_type})e)", $"({type})v!")}";
        }

        if (property.Property.SetMethod is null)
        {
            var problem = $"{_plan.Entity.Name}.{property.Name} has no setter: its value object takes it in its constructor only.";
            return $"static (e, v) => throw new global::System.InvalidOperationException({CSharpText.Literal(problem)})";
        }

        var member = CSharpText.TypeName(property.Property.PropertyType);
        var (test, holder) = Held(owner, $"(({_type})e)");
        return $"static (e, v) => {{ if ({test}) {{ {Write(property.Property, holder, $"v is null ? default({member}) : ({member})v")}; }} }}";
    }

    // byte[] by content, and null only equal to null (Snapshots.Same).
    private static string Bytes(string a, string b) =>
        $"global::System.MemoryExtensions.SequenceEqual(new global::System.ReadOnlySpan<byte>({a}), new global::System.ReadOnlySpan<byte>({b})) && ({a} is null) == ({b} is null)";

    // The names of a converted property's generated methods: its two conversions, printed from the converter's expressions,
    // and the typed read of its stored value (null stays null: a conversion never sees one).
    private Conversion ConversionOf(PropertyModel property)
    {
        if (_conversionNames.TryGetValue(property, out var known))
        {
            return known;
        }

        var converter = property.Converter!;
        var (to, from) = ConverterText.Print(converter, ConverterText.HomeOf(property), out _)!.Value; // refused before generation otherwise
        var name = CSharpText.Identifier(property.Name);
        var conversion = new Conversion(Unique("ToStored_" + name), Unique("FromStored_" + name), Unique("Stored_" + name));
        _conversionNames.Add(property, conversion);
        var model = CSharpText.TypeName(converter.ModelType);
        var provider = CSharpText.TypeName(converter.ProviderType);
        var stored = CSharpText.TypeName(PropertyAccessors.StoredPropertyType(property));
        var read = Value(property, "entity");
        _conversions.Append("    // The value converter of ").Append(property.Name).AppendLine(", printed from its expressions (the start prints them again and compares).");
        _conversions.Append("    private static ").Append(provider).Append(' ').Append(conversion.To).Append('(').Append(model).Append(' ').Append(ConverterText.Parameter).Append(") => ").Append(to).AppendLine(";");
        _conversions.AppendLine();
        _conversions.Append("    private static ").Append(model).Append(' ').Append(conversion.From).Append('(').Append(provider).Append(' ').Append(ConverterText.Parameter).Append(") => ").Append(from).AppendLine(";");
        _conversions.AppendLine();
        _conversions.Append("    private static ").Append(stored).Append(' ').Append(conversion.Stored).Append('(').Append(_type).Append(" entity) => ")
            .Append(property.PropertyType.IsValueType && !property.IsNullableValueType
                ? $"{conversion.To}({read})"
                : $"{read} is {{ }} model ? ({stored}){conversion.To}(model) : default({stored})").AppendLine(";");
        _conversions.AppendLine();
        return conversion;
    }

    private string Unique(string stem)
    {
        var name = stem;
        for (var i = 2; !_names.Add(name); i++)
        {
            name = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    // ((T)e).Name, or the generated accessor of a getter that is not public; a value object's member through its holders.
    private string Read(PropertyModel property, string entity) => Value(property, $"(({_type}){entity})");

    // typed.Name for an entity's own property; for a value object's member, the member of the object the entity holds, or the
    // default of the property's type (a nullable one for a value type) when that object or one holding it is null, as
    // PropertyAccessors.Read reads it.
    private string Value(PropertyModel property, string typed)
    {
        if (property.Owner is not { } owner)
        {
            return Read(property.Property, typed);
        }

        var type = CSharpText.TypeName(property.PropertyType);
        var (test, holder) = Held(owner, typed);
        return $"({test} ? ({type}){Read(property.Property, holder)} : default({type}))";
    }

    // "typed.Home is { } o_1 && o_1.Geo is { } o_2" and "o_2": the test that each value object on the path to owner is there,
    // and the variable holding owner when it is.
    private (string Test, string Holder) Held(OwnedModel owner, string typed)
    {
        var tests = new List<string>();
        var holder = typed;
        foreach (var step in owner.Path)
        {
            var local = Local("o_");
            tests.Add($"{Read(step.Navigation, holder)} is {{ }} {local}");
            holder = local;
        }

        return (string.Join(" && ", tests), holder);
    }

    private string Local(string stem) => stem + (++_locals).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // typed.Name, where typed is an expression of the property's class.
    private string Read(PropertyInfo property, string typed) =>
        property.GetMethod!.IsPublic ? $"{typed}.{property.Name}" : $"{Accessor(property, getter: true)}({typed})";

    private string Write(PropertyModel property, string target, string value) => Write(property.Property, target, value);

    // target.Name = value, or the generated accessor of a setter that is not public or is init-only.
    private string Write(PropertyInfo property, string target, string value) =>
        property.SetMethod!.IsPublic && !IsInitOnly(property)
            ? $"{target}.{property.Name} = {value}"
            : $"{Accessor(property, getter: false)}({target}, {value})";

    // With a navigation, what RelationPlan compiles otherwise: the navigation's getter, its setter when public (RelationPlan
    // sets no other), a collection's fill, and the typed key readers of an include when ParentSlots would read the keys typed.
    private string Relation(RelationPlan relation)
    {
        var text = new StringBuilder();
        // Named, not target-typed: WithTypedKeys is called on it.
        text.Append("            new global::Premix.Plans.GeneratedRelationCode(").Append(CSharpText.Literal(GeneratedRelation.ShapeOf(relation.Relation))).AppendLine(")");
        text.AppendLine("            {");
        if (relation.Relation.Navigation is { } navigation)
        {
            var typed = $"(({_type})e)";
            text.Append("                Get = static e => ").Append(Read(navigation, typed)).AppendLine(",");
            if (navigation.SetMethod is { IsPublic: true })
            {
                text.Append("                Set = static (e, v) => ").Append(Write(navigation, typed, $"({CSharpText.TypeName(navigation.PropertyType)})v!")).AppendLine(",");
            }

            if (relation.IsCollection)
            {
                text.Append("                Fill = global::Premix.Plans.GeneratedRelation.CollectionOf<").Append(CSharpText.TypeName(relation.Dependent.Entity.ClrType)).AppendLine(">,");
            }
        }

        text.Append("            }");
        if (relation.IsDeclaredOnPrincipal && Querying.ParentSlots.TypedKey(relation) is var (principalKey, foreignKey, keyType))
        {
            text.Append(".WithTypedKeys<").Append(CSharpText.TypeName(keyType)).Append(">(static e => ")
                .Append(Read(principalKey.Property, $"(({CSharpText.TypeName(relation.Principal.Entity.ClrType)})e)"))
                .Append(", static e => ").Append(Read(foreignKey.Property, $"(({CSharpText.TypeName(relation.Dependent.Entity.ClrType)})e)")).Append(')');
        }

        return text.AppendLine(",").ToString();
    }

    private string Accessor(PropertyInfo property, bool getter)
    {
        if (_accessorNames.TryGetValue((property, getter), out var known))
        {
            return known;
        }

        var name = Unique((getter ? "Get_" : "Set_") + CSharpText.Identifier(property.Name));
        _accessorNames.Add((property, getter), name);
        var declaring = CSharpText.TypeName(property.DeclaringType!);
        var type = CSharpText.TypeName(property.PropertyType);
        _accessors.Append("    [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = ")
            .Append(CSharpText.Literal((getter ? "get_" : "set_") + property.Name)).AppendLine(")]");
        _accessors.Append("    private static extern ").Append(getter ? type : "void").Append(' ').Append(name).Append('(').Append(declaring).Append(" entity")
            .Append(getter ? "" : $", {type} value").AppendLine(");");
        _accessors.AppendLine();
        return name;
    }

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private string ReadRow()
    {
        var text = new StringBuilder();
        text.AppendLine("    // The columns of the plan's select list, in order, each read by ordinal with its type's getter.");
        text.AppendLine("    private static object ReadRow(global::System.Data.Common.DbDataReader reader)");
        text.AppendLine("    {");
        var properties = _plan.Properties;
        // A value object's members are read first, then the object is made from them (RowReaders): per value object the entity
        // holds, its columns and those of the value objects inside it, in select-list order.
        var owned = new Dictionary<OwnedModel, List<(PropertyModel Member, Piece Value)>>();
        for (var ordinal = 0; ordinal < properties.Count; ordinal++)
        {
            _readsWallClock |= properties[ordinal].DateTimeRule is { HoldsUtc: false };
            var fromStored = properties[ordinal].Property.Converter is null ? null : ConversionOf(properties[ordinal].Property).From;
            text.AppendLine(ColumnRead.Statements(properties[ordinal], ordinal, $"column{ordinal}", WallClock, fromStored));
            if (properties[ordinal].Property is { Owner: { } owner } member)
            {
                (owned.TryGetValue(owner.Root, out var members) ? members : owned[owner.Root] = []).Add((member, new Piece($"column{ordinal}", member.PropertyType)));
            }
        }

        text.Append("        var entity = ").Append(New()).AppendLine(";");
        for (var ordinal = 0; ordinal < properties.Count; ordinal++)
        {
            if (properties[ordinal].Property.Owner is null)
            {
                text.Append("        ").Append(Write(properties[ordinal].Property, "entity", $"column{ordinal}")).AppendLine(";");
            }
        }

        foreach (var (owner, members) in owned)
        {
            var made = Make(owner, members, text, "        ");
            text.Append("        ").Append(Write(owner.Navigation, "entity", made)).AppendLine(";");
        }

        text.AppendLine("        return entity;");
        text.AppendLine("    }");
        return text.ToString();
    }

    // Statements that make the value object owner into a new local, whose name is returned: new Money(amount, currency) with
    // the members its constructor does not take set after (in the initializer when public, through accessors otherwise);
    // the value objects it holds made first, from their columns (ValueObjectMembers, as the compiled reader); an optional one
    // left null when all its columns, those of the objects it holds included, are NULL.
    private string Make(OwnedModel owner, IReadOnlyList<(PropertyModel Member, Piece Value)> members, StringBuilder text, string indent)
    {
        var local = Local("owned");
        var type = CSharpText.TypeName(owner.ClrType);
        var inner = indent;
        if (!owner.IsRequired)
        {
            text.Append(indent).Append(type).Append(' ').Append(local).AppendLine(" = null;");
            text.Append(indent).Append("if (!(").Append(string.Join(" && ", members.Select(m => m.Value.Text + " is null"))).AppendLine("))");
            text.Append(indent).AppendLine("{");
            inner = indent + "    ";
        }

        var (arguments, set) = ValueObjectMembers.Of(owner, members, (nested, columns) => new Piece(Make(nested, columns, text, inner), nested.ClrType));
        var initialized = set.Where(m => m.Member.SetMethod is { IsPublic: true })
            .Select(m => $"{m.Member.Name} = {Unlifted(m.Value, m.Member.PropertyType)}").ToList();
        // A required member the constructor takes is set again in the initializer, as C# requires without [SetsRequiredMembers]:
        // the same column's value (GenerationRefusals refuses a required member this cannot set).
        var required = RequiredProperties(owner);
        initialized.AddRange(arguments.Select(a => (a, Member: required.FirstOrDefault(p => string.Equals(p.Name, a.Parameter.Name, StringComparison.OrdinalIgnoreCase))))
            .Where(t => t.Member is not null)
            .Select(t => $"{t.Member!.Name} = {Unlifted(t.a.Value, t.Member.PropertyType)}"));
        text.Append(inner).Append(owner.IsRequired ? "var " : "").Append(local).Append(" = new ").Append(type)
            .Append('(').Append(string.Join(", ", arguments.Select(a => Unlifted(a.Value, a.Parameter.ParameterType)))).Append(')');
        if (initialized.Count > 0)
        {
            text.Append(" { ").Append(string.Join(", ", initialized)).Append(" }");
        }

        text.AppendLine(";");
        foreach (var (member, value) in set.Where(m => m.Member.SetMethod is not { IsPublic: true }))
        {
            text.Append(inner).Append(Write(member, local, Unlifted(value, member.PropertyType))).AppendLine(";");
        }

        if (!owner.IsRequired)
        {
            text.Append(indent).AppendLine("}");
        }

        return local;
    }

    // The public required properties of a value object's class, its base classes' included, which new T(...) { ... } must set
    // unless the constructor has [SetsRequiredMembers] (RequiredMemberAttribute is not inherited: the members are looked at).
    private static List<PropertyInfo> RequiredProperties(OwnedModel owner) =>
        owner.Constructor.IsDefined(typeof(System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute), inherit: false)
            ? []
            : owner.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: false)).ToList();

    // Whether a class or one of its base classes declares a required member (the attribute on the class is not inherited).
    private static bool HasRequiredMembers(Type type) =>
        type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Any(m => m is PropertyInfo or FieldInfo && m.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: false));

    // A member read as T? (the owner may hold none) goes into a T property or parameter as its value, or default when NULL.
    private static string Unlifted(Piece value, Type target) =>
        value.Type == target ? value.Text
        : Nullable.GetUnderlyingType(value.Type) == target ? $"{value.Text}.GetValueOrDefault()"
        : $"({CSharpText.TypeName(target)}){value.Text}";

    // new T(), or through the generated accessor of a constructor that is not public or of a class with required members
    // (which new T() would have to set, and the reader sets after).
    private string New()
    {
        var type = _plan.Entity.ClrType;
        if (type.GetConstructor(Type.EmptyTypes) is not null && !HasRequiredMembers(type))
        {
            return $"new {_type}()";
        }

        _accessors.AppendLine("    [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Constructor)]");
        _accessors.Append("    private static extern ").Append(_type).AppendLine(" Create();");
        _accessors.AppendLine();
        return "Create()";
    }

    private string Copy()
    {
        var text = new StringBuilder();
        var bytes = _plan.Entity.Properties.Where(p => p.ValueType == typeof(byte[]) && p.Owner is null).ToList();
        text.AppendLine(bytes.Count == 0
            ? "    // A shallow copy for the snapshot (Snapshots.Copier)."
            : "    // A shallow copy for the snapshot; each byte array is copied too, since it can change in place (Snapshots.Copier).");
        text.AppendLine("    private static object Copy(object source)");
        text.AppendLine("    {");
        text.Append("        var copy = (").Append(_type).AppendLine(")Clone(source);");
        for (var i = 0; i < bytes.Count; i++)
        {
            var property = bytes[i];
            var local = "bytes" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append("        if (").Append(Read(property, "copy")).Append(" is { } ").Append(local).Append(") { ")
                .Append(Write(property, "copy", $"(global::System.Byte[]){local}.Clone()")).AppendLine("; }");
        }

        // Each value object is copied too, outer ones first: a nested one is then replaced inside the outer copy, never inside
        // the entity's own object. One without a setter is copied with its holder instead (CopyOf), as Snapshots.Copier does.
        foreach (var owner in _valueObjects.Where(o => o.Navigation.SetMethod is not null))
        {
            var (test, holder) = owner.Parent is null ? ("", "copy") : Held(owner.Parent, "copy");
            var local = Local("o_");
            text.Append("        if (").Append(test.Length == 0 ? "" : test + " && ").Append(Read(owner.Navigation, holder)).Append(" is { } ").Append(local).Append(") { ")
                .Append(Write(owner.Navigation, holder, CopyOf(local, owner))).AppendLine("; }");
        }

        text.AppendLine("        return copy;");
        text.AppendLine("    }");
        text.AppendLine();
        text.AppendLine("    [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = \"MemberwiseClone\")]");
        text.AppendLine("    private static extern object Clone(object source);");
        return text.ToString();
    }

    // A copy of the value object in value (not null): its MemberwiseClone, unless it holds a nested value object without a
    // setter, which the clone would share; then a generated method makes it anew (CopyMethod).
    private string CopyOf(string value, OwnedModel owner) =>
        _valueObjects.Any(o => o.Parent == owner && o.Navigation.SetMethod is null)
            ? $"{CopyMethod(owner)}({value})"
            : $"({CSharpText.TypeName(owner.ClrType)})Clone({value})";

    // As Snapshots.Copy: the object made anew through the constructor the reader uses, given a copy of each nested value
    // object without a setter, and its other public read-write properties copied over.
    private string CopyMethod(OwnedModel owner)
    {
        if (_copyNames.TryGetValue(owner, out var known))
        {
            return known;
        }

        var name = Unique("Copy_" + CSharpText.Identifier(owner.Name));
        _copyNames.Add(owner, name);
        var type = CSharpText.TypeName(owner.ClrType);
        var parameters = owner.Constructor.GetParameters();
        var members = owner.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true }).ToList();
        var arguments = parameters.Select(parameter =>
        {
            var member = members.First(m => string.Equals(m.Name, parameter.Name, StringComparison.OrdinalIgnoreCase) && m.PropertyType == parameter.ParameterType);
            var read = Read(member, "original");
            if (_valueObjects.FirstOrDefault(o => o.Parent == owner && o.Navigation.SetMethod is null && o.Navigation.Name == member.Name) is not { } nested)
            {
                return read;
            }

            var local = Local("o_");
            return $"({read} is {{ }} {local} ? {CopyOf(local, nested)} : null)";
        }).ToList();
        var passed = parameters.Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        text.Append("    // A copy of ").Append(owner.Name).AppendLine(" for the snapshot, made anew: it holds a value object without a setter, which a clone would share.");
        text.Append("    private static ").Append(type).Append(' ').Append(name).Append('(').Append(type).AppendLine(" original)");
        text.AppendLine("    {");
        // A required member (all of them mapped, GenerationRefusals) is set in the initializer, as C# requires, those the
        // constructor takes again (the value it was given).
        var required = RequiredProperties(owner);
        text.Append("        var copied = new ").Append(type).Append('(').Append(string.Join(", ", arguments)).Append(')');
        if (required.Count > 0)
        {
            text.Append(" { ").Append(string.Join(", ", required.Select(m => $"{m.Name} = {Read(m, "original")}"))).Append(" }");
        }

        text.AppendLine(";");
        // As Snapshots.Copy: every mapped member and held value object with a setter of any kind too (a private or init one
        // through its accessor), as the reader sets them, so the snapshot holds every value a change is compared on.
        foreach (var member in Snapshots.CopiedOver(owner, _valueObjects, _plan.Entity, members, passed).Where(m => !required.Exists(r => r.Name == m.Name)))
        {
            text.Append("        ").Append(Write(member, "copied", Read(member, "original"))).AppendLine(";");
        }

        text.AppendLine("        return copied;");
        text.AppendLine("    }");
        text.AppendLine();
        _copies.Append(text);
        return name;
    }

    private string Assign()
    {
        var text = new StringBuilder();
        text.AppendLine("    // Every mapped property of a freshly read instance onto the tracked one (Snapshots.Assigner).");
        text.AppendLine("    private static void Assign(object source, object target)");
        text.AppendLine("    {");
        // A value object once, whole (the tracked entity then holds the fresh one).
        foreach (var property in _plan.Entity.Properties.Select(p => p.Owner?.Root.Navigation ?? p.Property).Distinct().Where(p => p.SetMethod is not null))
        {
            text.Append("        ").Append(Write(property, $"(({_type})target)", Read(property, $"(({_type})source)"))).AppendLine(";");
        }

        text.AppendLine("    }");
        return text.ToString();
    }

    private sealed record Conversion(string To, string From, string Stored);

    // A C# expression (a local holding a column's value, or a value object made from them) and its type.
    private sealed record Piece(string Text, Type Type);
}
