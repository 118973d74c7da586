using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Premix.Migrations;

/// <summary>Reads a folder of versioned migration files, and writes new ones.</summary>
/// <remarks>
/// A migration file is named <c>YYYYMMDDHHMMSS_name.sql</c> (a UTC timestamp, then letters, digits, <c>_</c> or
/// <c>-</c>) and holds a <c>-- +premix Up</c> section and optionally a <c>-- +premix Down</c> section. See
/// docs/migrations.md.
/// </remarks>
public static partial class MigrationFolder
{
    private const string UpDirective = "up";
    private const string DownDirective = "down";

    /// <summary>Reads, checks and orders every <c>*.sql</c> file of <paramref name="folder"/> (not its subfolders).</summary>
    /// <param name="folder">The folder of migration files.</param>
    /// <exception cref="MigrationException">
    /// The folder does not exist, or files are malformed (bad name, no Up section, an empty Up section, SQL outside
    /// a section, an unknown <c>-- +premix</c> directive, a duplicate version); the message lists every problem.
    /// </exception>
    public static IReadOnlyList<MigrationFile> Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var fullPath = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
        {
            throw new MigrationException($"The migrations folder '{fullPath}' does not exist; create it or pass the folder that holds the YYYYMMDDHHMMSS_name.sql files.");
        }

        // ReadAllText drops a byte order mark.
        var texts = Directory.GetFiles(folder, "*.sql")
            .Select(path => new MigrationText(System.IO.Path.GetFileName(path), System.IO.Path.GetFullPath(path), File.ReadAllText(path, Encoding.UTF8)));
        return Parse(texts, $"The migrations folder '{fullPath}'");
    }

    /// <summary>Parses, checks and orders migration texts, whatever they were read from; <paramref name="origin"/> starts the error message.</summary>
    internal static IReadOnlyList<MigrationFile> Parse(IEnumerable<MigrationText> texts, string origin)
    {
        var problems = new List<string>();
        var malformed = new SortedSet<string>(StringComparer.Ordinal);
        var files = new List<MigrationFile>();
        foreach (var text in texts.OrderBy(t => t.FileName, StringComparer.Ordinal))
        {
            var file = Parse(text, problems);
            if (file is not null)
            {
                files.Add(file);
            }
            else
            {
                malformed.Add(text.FileName);
            }
        }

        foreach (var duplicate in files.GroupBy(f => f.Version).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate.Select(f => f.FileName))}: the same version {duplicate.Key}; give each file its own timestamp.");
            malformed.UnionWith(duplicate.Select(f => f.FileName));
        }

        if (problems.Count > 0)
        {
            throw new MigrationException(
                $"{origin} has {malformed.Count} malformed file(s):{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}",
                malformed.Count == 1 ? malformed.Min : null);
        }

        files.Sort((a, b) => a.Version.CompareTo(b.Version));
        return files;
    }

    /// <summary>
    /// Writes an empty migration template <c>YYYYMMDDHHMMSS_name.sql</c> (the current UTC time) into
    /// <paramref name="folder"/>, creating the folder if needed, and returns its path. Fill in its Up section before
    /// running it: an empty Up section is refused.
    /// </summary>
    /// <param name="folder">The folder of migration files.</param>
    /// <param name="name">What the migration does, for example <c>add_orders</c>: letters, digits, <c>_</c> and <c>-</c>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> holds other characters.</exception>
    /// <exception cref="IOException">A migration with the same timestamp exists already; wait a second and retry.</exception>
    public static string NewMigrationFile(string folder, string name, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"The migration name '{name}' may hold only letters, digits, '_' and '-', for example 'add_orders'.", nameof(name));
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var version = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(folder);
        if (Directory.GetFiles(folder, version + "_*.sql").Length > 0)
        {
            throw new IOException($"A migration with version {version} exists already in '{folder}'; wait a second and create it again.");
        }

        var path = System.IO.Path.Combine(folder, $"{version}_{name}.sql");
        var template = $"""
            -- {name}, created {now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC.
            -- The Up section runs on migrate up, the Down section (optional) on migrate down; see docs/migrations.md.

            -- +premix Up


            -- +premix Down


            """;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(template.Replace("\r\n", "\n", StringComparison.Ordinal));
        return path;
    }

    /// <summary>The checksum of a file's text: SHA-256 of its UTF-8 bytes once line endings are <c>\n</c>, as lowercase hex.</summary>
    internal static string Checksum(string normalizedText) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedText)));

    private static MigrationFile? Parse(MigrationText source, List<string> problems)
    {
        var fileName = source.FileName;
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            problems.Add($"{fileName}: the name is not YYYYMMDDHHMMSS_name.sql (a 14-digit UTC timestamp, '_', then letters, digits, '_' or '-'); rename it.");
            return null;
        }

        if (!DateTime.TryParseExact(match.Groups["version"].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problems.Add($"{fileName}: {match.Groups["version"].Value} is not a valid timestamp YYYYMMDDHHMMSS; rename it.");
            return null;
        }

        // Line endings are normalized so a checkout on Windows keeps the checksum.
        var text = source.Text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        string? up = null;
        string? down = null;
        string? current = null;
        var section = new StringBuilder();
        var fileProblems = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var directive = DirectivePattern().Match(line);
            if (directive.Success)
            {
                var name = directive.Groups["name"].Value.ToLowerInvariant();
                if (name is not (UpDirective or DownDirective))
                {
                    fileProblems.Add($"{fileName}: line {i + 1}: unknown directive '{line.Trim()}'; only '-- +premix Up' and '-- +premix Down' exist.");
                    continue;
                }

                if ((name == UpDirective && up is not null) || (name == DownDirective && down is not null) || name == current)
                {
                    fileProblems.Add($"{fileName}: line {i + 1}: a second '-- +premix {(name == UpDirective ? "Up" : "Down")}' section; keep one.");
                    continue;
                }

                Close(current, section, ref up, ref down);
                current = name;
                continue;
            }

            if (current is null)
            {
                if (!IsBlankOrComment(line))
                {
                    fileProblems.Add($"{fileName}: line {i + 1}: SQL before the first section; put it under '-- +premix Up' or '-- +premix Down'.");
                    current = string.Empty; // report once
                }

                continue;
            }

            section.Append(line).Append('\n');
        }

        Close(current, section, ref up, ref down);
        if (up is null)
        {
            fileProblems.Add($"{fileName}: no '-- +premix Up' section; write the migration's SQL under a line '-- +premix Up'.");
        }
        else if (up is not null && IsEmpty(up))
        {
            fileProblems.Add($"{fileName}: the Up section is empty; write the migration's SQL or delete the file.");
        }

        if (fileProblems.Count > 0)
        {
            problems.AddRange(fileProblems);
            return null;
        }

        return new MigrationFile(long.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, fileName, source.Location,
            Checksum(text), up!, down is null || IsEmpty(down) ? null : down);
    }

    private static void Close(string? current, StringBuilder section, ref string? up, ref string? down)
    {
        var sql = section.ToString().Trim();
        section.Clear();
        if (current == UpDirective)
        {
            up = sql;
        }
        else if (current == DownDirective)
        {
            down = sql;
        }
    }

    private static bool IsEmpty(string sql) => sql.Split('\n').All(IsBlankOrComment);

    private static bool IsBlankOrComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed.StartsWith("--", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<version>[0-9]{14})_(?<name>[A-Za-z0-9_\-]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\s*--\s*\+premix\b\s*(?<name>\S*)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DirectivePattern();
}
