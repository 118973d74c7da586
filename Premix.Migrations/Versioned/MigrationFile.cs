namespace Premix.Migrations;

/// <summary>
/// One versioned migration file, <c>YYYYMMDDHHMMSS_name.sql</c>, parsed and checked: its version, name, checksum and
/// the SQL of its Up and Down sections.
/// </summary>
public sealed class MigrationFile
{
    internal MigrationFile(long version, string name, string fileName, string path, string checksum, string up, string? down)
    {
        Version = version;
        Name = name;
        FileName = fileName;
        Path = path;
        Checksum = checksum;
        Up = up;
        Down = down;
    }

    /// <summary>The version: the file name's 14-digit UTC timestamp, <c>YYYYMMDDHHMMSS</c>. Migrations run in version order.</summary>
    public long Version { get; }

    /// <summary>The name after the timestamp, without <c>.sql</c>.</summary>
    public string Name { get; }

    /// <summary>Where the file was read from: its full path, or for an embedded migration its assembly and resource name.</summary>
    public string Path { get; }

    /// <summary>The file's name, <c>YYYYMMDDHHMMSS_name.sql</c>, as error messages name it.</summary>
    public string FileName { get; }

    /// <summary>The lowercase hex SHA-256 of the file's text, decoded as UTF-8 with line endings normalized to <c>\n</c>.</summary>
    public string Checksum { get; }

    /// <summary>The SQL of the Up section, run as one command.</summary>
    public string Up { get; }

    /// <summary>The SQL of the Down section, or <see langword="null"/> when the file has none (it cannot be reverted).</summary>
    public string? Down { get; }

    /// <inheritdoc />
    public override string ToString() => FileName;
}
