using Premix.Mapping;

namespace Premix.Tests.Types;

/// <summary>A row that carries large values: bytes and text, neither with a maximum length.</summary>
public sealed class Document
{
    public long Id { get; set; }

    public byte[] Content { get; set; } = [];

    public string? Text { get; set; }

    /// <summary>Bytes none of which MySqlConnector escapes, so a value adds exactly its length (and its quotes) to a statement.</summary>
    public static byte[] Filled(int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)'x');
        return bytes;
    }
}

public sealed class DocumentMap : ModelConfiguration<Document>
{
    public override void Configure(EntityBuilder<Document> e) => e.ToTable("documents");
}

/// <summary>A document whose key the application sets, so that MariaDB batches its inserts (no generated key to read back).</summary>
public sealed class Attachment
{
    public Guid Id { get; set; }

    public byte[] Content { get; set; } = [];
}

public sealed class AttachmentMap : ModelConfiguration<Attachment>
{
    public override void Configure(EntityBuilder<Attachment> e)
    {
        e.ToTable("attachments");
        e.HasKey(a => a.Id);
    }
}
