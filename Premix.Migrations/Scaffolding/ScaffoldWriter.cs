using System.Globalization;
using System.Text;
using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>Writes the C# of one scaffolded entity: the class, and the <c>ModelConfiguration</c> that maps it.</summary>
internal static class ScaffoldWriter
{
    public static string Entity(ScaffoldEntity entity, string ns)
    {
        var usings = new List<string>();
        if (entity.Properties.Any(p => NeedsSystem(p.Type.Type)))
        {
            usings.Add("System");
        }

        if (entity.Collections.Count > 0)
        {
            usings.Add("System.Collections.Generic");
        }

        // A type of the engine's driver (PostgreSQL's NpgsqlRange<T>, from NpgsqlTypes), which the provider package brings.
        usings.AddRange(entity.Properties.Select(p => p.Type.Type.Namespace).OfType<string>().Where(n => !n.StartsWith("System", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));

        var code = Header(entity, ns, usings);
        if (!entity.IsMapped)
        {
            foreach (var note in entity.Notes)
            {
                code.AppendLine(CultureInfo.InvariantCulture, $"// {Comment(note)}");
            }
        }

        code.AppendLine(CultureInfo.InvariantCulture, $"/// <summary>A row of the {entity.Kind} <c>{CSharpNames.Xml(entity.Table.DisplayName)}</c>{(entity.IsView ? " (read-only)" : string.Empty)}.</summary>");
        code.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {entity.ClassName}");
        code.AppendLine("{");
        var members = new List<string>();
        if (entity.SelectSql is { } select)
        {
            members.Add(
                $"    /// <summary>Reads every row, each column under its property's name: <c>premix.Raw({entity.ClassName}.{ScaffoldEntity.SelectSqlName}).ReadOnly().FetchAs&lt;{entity.ClassName}&gt;()</c>.</summary>\n"
                + $"    public const string {ScaffoldEntity.SelectSqlName} = {CSharpNames.Literal(select)};");
        }

        foreach (var property in entity.Properties)
        {
            var type = (property.Enum is { } scaffoldEnum ? scaffoldEnum.ClassName + (property.IsEnumArray ? "[]" : string.Empty)
                : property.Composite is { } composite ? composite.ClassName
                : CSharpNames.TypeName(property.Type.Type)) + (property.IsNullable ? "?" : string.Empty);
            var initializer = property.IsNullable || (property.Enum is not null && !property.IsEnumArray) ? string.Empty
                : property.Composite is not null ? " = new();"
                : property.Type.Type == typeof(string) ? " = string.Empty;"
                : property.Type.Type.IsArray ? " = [];"
                : string.Empty;
            var domain = property.Column.Domain is { } name ? $" (the domain <c>{CSharpNames.Xml(name)}</c>)" : string.Empty;
            members.Add(
                $"    /// <summary>The column <c>{CSharpNames.Xml(property.Column.Name)}</c>: <c>{CSharpNames.Xml(property.Column.StoreType)}</c>{domain}{(property.Column.IsNullable ? string.Empty : ", not null")}.</summary>\n"
                + $"    public {type} {property.Name} {{ get; set; }}{initializer}");
        }

        foreach (var (column, reason) in entity.LeftOut)
        {
            members.Add($"    // The column {Comment(column.Name)}{(column.StoreType.Length == 0 ? string.Empty : $" ({Comment(column.StoreType)})")} is left out: {Comment(reason)}.");
        }

        foreach (var relation in entity.References)
        {
            members.Add(
                $"    /// <summary>The <see cref=\"{relation.Principal.ClassName}\"/> that {Crefs(relation.ForeignKey, null)} {(relation.ForeignKey.Count == 1 ? "refers" : "refer")} to, when loaded.</summary>\n"
                + $"    public {relation.Principal.ClassName}? {relation.ReferenceName} {{ get; set; }}");
        }

        foreach (var relation in entity.Collections)
        {
            members.Add(
                $"    /// <summary>The <see cref=\"{relation.Dependent.ClassName}\"/> rows whose {Crefs(relation.ForeignKey, relation.Dependent.ClassName)} {(relation.ForeignKey.Count == 1 ? "refers" : "refer")} to this one, when loaded.</summary>\n"
                + $"    public List<{relation.Dependent.ClassName}> {relation.CollectionName} {{ get; set; }} = [];");
        }

        code.AppendLine(string.Join("\n\n", members));
        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>The C# enum of a PostgreSQL enum type; members whose labels no name gives carry <c>[EnumLabel]</c>.</summary>
    public static string Enum(ScaffoldEnum scaffoldEnum, string ns)
    {
        var labelled = scaffoldEnum.Members.Any(m => m.Label is not null);
        var code = Generated($"the enum type {scaffoldEnum.TypeName}");
        code.AppendLine();
        if (labelled)
        {
            code.AppendLine("using Premix.Mapping;").AppendLine();
        }

        code.AppendLine(CultureInfo.InvariantCulture, $"namespace {ns};").AppendLine();
        code.AppendLine(CultureInfo.InvariantCulture, $"/// <summary>The labels of the PostgreSQL enum type <c>{CSharpNames.Xml(scaffoldEnum.TypeName)}</c>, in its order (stored with <c>StoredAsEnumType</c>).</summary>");
        code.AppendLine(CultureInfo.InvariantCulture, $"public enum {scaffoldEnum.ClassName}");
        code.AppendLine("{");
        code.AppendLine(string.Join("\n\n", scaffoldEnum.Members.Select(m =>
            $"    /// <summary>The label <c>{CSharpNames.Xml(m.Label ?? NamingConvention.SnakeCase.Convert(m.Name))}</c>.</summary>\n"
            + (m.Label is null ? string.Empty : $"    [EnumLabel({CSharpNames.Literal(m.Label)})]\n") + $"    {m.Name},")));
        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>The C# class of a PostgreSQL composite type: one nullable property per attribute, named as the attribute.</summary>
    public static string Composite(ScaffoldComposite composite, string ns)
    {
        var code = Generated($"the composite type {composite.TypeName}");
        code.AppendLine("#nullable enable");
        code.AppendLine();
        if (composite.Properties.Any(p => NeedsSystem(p.Type)))
        {
            code.AppendLine("using System;").AppendLine();
        }

        code.AppendLine(CultureInfo.InvariantCulture, $"namespace {ns};").AppendLine();
        code.AppendLine(CultureInfo.InvariantCulture, $"/// <summary>A value of the PostgreSQL composite type <c>{CSharpNames.Xml(composite.TypeName)}</c> (stored with <c>StoredAsCompositeType</c>); each property is an attribute of the same name.</summary>");
        code.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {composite.ClassName}");
        code.AppendLine("{");
        code.AppendLine(string.Join("\n\n", composite.Properties.Select(p =>
            $"    /// <summary>The attribute <c>{CSharpNames.Xml(p.Attribute.Name)}</c>: <c>{CSharpNames.Xml(p.Attribute.StoreType)}</c>.</summary>\n"
            + $"    public {CSharpNames.TypeName(p.Type)}? {p.Name} {{ get; set; }}")));
        code.AppendLine("}");
        return code.ToString();
    }

    public static string Map(ScaffoldEntity entity, string ns)
    {
        var code = Header(entity, ns, ["Premix.Mapping"]);
        code.AppendLine(CultureInfo.InvariantCulture, $"/// <summary>Maps <see cref=\"{entity.ClassName}\"/> onto the table <c>{CSharpNames.Xml(entity.Table.DisplayName)}</c>.</summary>");
        code.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {entity.MapName} : ModelConfiguration<{entity.ClassName}>");
        code.AppendLine("{");
        code.AppendLine("    /// <inheritdoc />");
        code.AppendLine(CultureInfo.InvariantCulture, $"    public override void Configure(EntityBuilder<{entity.ClassName}> e)");
        code.AppendLine("    {");
        var lines = new List<string>();
        foreach (var note in entity.Notes)
        {
            lines.Add($"// {Comment(note)}");
        }

        lines.Add(entity.Table.Schema is null
            ? $"e.ToTable({CSharpNames.Literal(entity.Table.Name)});"
            : $"e.ToTable({CSharpNames.Literal(entity.Table.Name)}, {CSharpNames.Literal(entity.Table.Schema)});");
        lines.Add($"e.HasKey({Members(entity.Key)}){KeyGeneration(entity)};");
        foreach (var property in entity.Properties)
        {
            lines.AddRange(Property(property));
        }

        if (entity.LeftOut.Count > 0)
        {
            lines.Add($"// The columns {entity.ClassName} leaves out (its comments say why) stay in the table: a diff keeps them, inserts leave them to their defaults.");
            lines.AddRange(entity.LeftOut.Select(l => $"e.HasUnmappedColumn({CSharpNames.Literal(l.Column.Name)});"));
        }

        foreach (var index in entity.Table.Indexes)
        {
            var columns = index.Columns.Select(entity.Find).ToList();
            if (index.Definition is { } definition)
            {
                lines.Add($"// The index {Comment(index.Name)} is left out: HasIndex declares plain indexes, and the database defines this one as {Comment(definition)}. It stays in the database; a diff leaves it alone.");
                continue;
            }

            if (columns.Any(c => c is null))
            {
                lines.Add($"// The index {Comment(index.Name)} is left out: one of its columns is.");
                continue;
            }

            var name = index.Name.StartsWith("sqlite_autoindex_", StringComparison.OrdinalIgnoreCase) ? string.Empty : $".HasName({CSharpNames.Literal(index.Name)})";
            lines.Add($"e.HasIndex({Members(columns!)}){(index.IsUnique ? ".IsUnique()" : string.Empty)}{name};");
        }

        foreach (var relation in entity.References)
        {
            lines.Add($"e.BelongsTo(x => x.{relation.ReferenceName}).WithForeignKey({Members(relation.ForeignKey)}){OnDelete(relation)};");
        }

        foreach (var relation in entity.Collections)
        {
            lines.Add($"e.HasMany(x => x.{relation.CollectionName}).WithForeignKey({Members(relation.ForeignKey)}){OnDelete(relation)};");
        }

        foreach (var line in lines)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"        {line}");
        }

        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    private static StringBuilder Header(ScaffoldEntity entity, string ns, IEnumerable<string> usings)
    {
        var code = Generated($"the {entity.Kind} {entity.Table.DisplayName}");
        code.AppendLine("#nullable enable");
        code.AppendLine();
        foreach (var name in usings)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"using {name};");
        }

        if (usings.Any())
        {
            code.AppendLine();
        }

        code.AppendLine(CultureInfo.InvariantCulture, $"namespace {ns};");
        code.AppendLine();
        return code;
    }

    // The comment that marks a file as generated, naming what it was scaffolded from.
    private static StringBuilder Generated(string source)
    {
        var code = new StringBuilder();
        code.AppendLine("// <auto-generated>");
        code.AppendLine(CultureInfo.InvariantCulture, $"//     Scaffolded by Premix from {Comment(source)}. Scaffolding again overwrites this file.");
        code.AppendLine("// </auto-generated>");
        return code;
    }

    private static IEnumerable<string> Property(ScaffoldProperty property)
    {
        var line = new StringBuilder($"e.Property(x => x.{property.Name}).HasColumnName({CSharpNames.Literal(property.Column.Name)})");
        if (!property.IsNullable && !property.Type.Type.IsValueType)
        {
            line.Append(".IsRequired()");
        }

        if (property.Enum is { } scaffoldEnum)
        {
            line.Append(CultureInfo.InvariantCulture, $".StoredAsEnumType({CSharpNames.Literal(scaffoldEnum.TypeName)})");
        }

        if (property.Composite is { } composite)
        {
            line.Append(CultureInfo.InvariantCulture, $".StoredAsCompositeType({CSharpNames.Literal(composite.TypeName)})");
        }

        if (property.Type.MaxLength is { } length)
        {
            line.Append(CultureInfo.InvariantCulture, $".HasMaxLength({length})");
        }

        if (property.Type is { Precision: { } precision, Scale: { } scale })
        {
            line.Append(CultureInfo.InvariantCulture, $".HasPrecision({precision}, {scale})");
        }

        if (property.ColumnType is { } columnType)
        {
            line.Append(CultureInfo.InvariantCulture, $".HasColumnType({CSharpNames.Literal(columnType)})");
        }

        if (IsSequence(property.Column.DefaultSql))
        {
            yield return $"// The default of {Comment(property.Column.Name)}, {Comment(property.Column.DefaultSql!)}, is left out: it names a sequence of this database.";
        }
        else if (property.Column.DefaultSql is { } defaultSql)
        {
            line.Append(CultureInfo.InvariantCulture, $".HasDefaultValueSql({CSharpNames.Literal(defaultSql)})");
        }

        yield return line.Append(';').ToString();
    }

    // A single integer key (byte, short, int, long) is generated by convention: say so only where the database does not generate it.
    private static string KeyGeneration(ScaffoldEntity entity)
    {
        if (entity.Key.Count != 1)
        {
            return string.Empty;
        }

        var key = entity.Key[0];
        var integer = key.Type.Type == typeof(byte) || key.Type.Type == typeof(short) || key.Type.Type == typeof(int) || key.Type.Type == typeof(long);
        var generated = key.Column.IsIdentity || IsSequence(key.Column.DefaultSql);
        return integer && !generated ? ".IsClientAssigned()" : !integer && generated ? ".IsGenerated()" : string.Empty;
    }

    private static string OnDelete(ScaffoldRelation relation) =>
        relation.OnDelete == ReferentialAction.NoAction ? string.Empty : $".OnDelete(ReferentialAction.{relation.OnDelete})";

    private static string Members(IReadOnlyList<ScaffoldProperty> properties) =>
        properties.Count == 1 ? $"x => x.{properties[0].Name}" : $"x => new {{ {string.Join(", ", properties.Select(p => "x." + p.Name))} }}";

    private static string Crefs(IReadOnlyList<ScaffoldProperty> properties, string? owner) =>
        string.Join(" and ", properties.Select(p => $"<see cref=\"{(owner is null ? string.Empty : owner + ".")}{p.Name}\"/>"));

    private static bool IsSequence(string? defaultSql) => defaultSql is not null && defaultSql.StartsWith("nextval(", StringComparison.OrdinalIgnoreCase);

    private static bool NeedsSystem(Type type) => type.IsArray ? NeedsSystem(type.GetElementType()!) : type.IsGenericType ? type.GetGenericArguments().Any(NeedsSystem) : type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan);

    private static string Comment(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
