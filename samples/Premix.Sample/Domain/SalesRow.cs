namespace Premix.Sample.Domain;

/// <summary>A report row: unrelated to the mapping, filled by a raw query through its constructor.</summary>
public sealed record SalesRow(string Name, long Orders, decimal Total);
