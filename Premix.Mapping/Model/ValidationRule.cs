namespace Premix.Mapping;

/// <summary>A rule an entity must satisfy before it is written, with the message shown when it does not.</summary>
/// <param name="IsValid">Returns <see langword="true"/> for a valid entity.</param>
/// <param name="Message">What the user is told when the rule fails.</param>
public sealed record ValidationRule(Func<object, bool> IsValid, string Message);
