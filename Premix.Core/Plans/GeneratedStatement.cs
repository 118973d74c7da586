namespace Premix.Plans;

/// <summary>A statement of a plan as <c>premix optimize</c> saw it: compared at startup with the statement the plan builds.</summary>
/// <param name="Name">The statement's name (<c>Insert</c>, <c>SelectByKey</c>, ...).</param>
/// <param name="Sql">Its SQL text, in the dialect of <see cref="GeneratedModel.Provider"/>.</param>
/// <param name="Parameters">The names of its parameters, in binding order.</param>
public sealed record GeneratedStatement(string Name, string Sql, IReadOnlyList<string> Parameters);
