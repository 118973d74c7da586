using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Premix.AspNetCore;

/// <summary>
/// The problem details of each Premix exception a client can act on. Bodies are written from the exceptions' properties,
/// never from their messages, which name SQL and keys meant for the application's logs.
/// </summary>
internal static class PremixProblems
{
    /// <summary>The problem for <paramref name="error"/> and whether to send Retry-After; <see langword="null"/> for an exception left to the application.</summary>
    public static (ProblemDetails Problem, bool RetryAfter)? For(Exception error) => error switch
    {
        EntityNotFoundException e => (Problem(StatusCodes.Status404NotFound, PremixProblemTypes.NotFound, "Not found",
            $"No {e.EntityType.Name} has the requested key.", ("entity", e.EntityType.Name)), false),
        ValidationException e => (Validation(e), false),
        TenantRequiredException => (Problem(StatusCodes.Status400BadRequest, PremixProblemTypes.TenantRequired, "Tenant required",
            "The request names no tenant, so nothing was read or written. Send the tenant as the application expects it (its claim or header)."), false),
        ConcurrencyException e => (Problem(StatusCodes.Status409Conflict, PremixProblemTypes.Concurrency, "Changed by someone else",
            $"The {e.EntityType.Name} was changed or deleted by someone else since it was loaded; nothing was saved. Reload it and try again.", ("entity", e.EntityType.Name)), false),
        UniqueConstraintException e => (Problem(StatusCodes.Status409Conflict, PremixProblemTypes.UniqueConstraint, "Already exists",
            $"Another row already has the same {Describe(e.Columns, "value")}; nothing was saved.", ("constraint", e.ConstraintName), ("columns", e.Columns)), false),
        ForeignKeyViolationException e => (Problem(StatusCodes.Status409Conflict, PremixProblemTypes.ForeignKey, "Reference refused",
            "The write refers to a row that does not exist, or removes a row that others still refer to; nothing was saved.", ("constraint", e.ConstraintName), ("columns", e.Columns)), false),
        ConnectionPoolExhaustedException => (Problem(StatusCodes.Status503ServiceUnavailable, PremixProblemTypes.PoolExhausted, "Too busy",
            "No database connection became free in time; nothing was saved. Try again later."), true),
        CommitOutcomeUnknownException => (Problem(StatusCodes.Status500InternalServerError, PremixProblemTypes.CommitOutcomeUnknown, "Outcome unknown",
            "The connection to the database broke while the changes were being committed: they may or may not have been saved. Check before sending them again."), false),
        DatabaseCommandException { IsTransient: true } or DatabaseConnectionException { IsTransient: true } => (Problem(StatusCodes.Status503ServiceUnavailable, PremixProblemTypes.Unavailable, "Database unavailable",
            "The database failed for now, and retrying did not help; nothing was saved. Try again later."), true),
        _ => null,
    };

    private static string Describe(IReadOnlyList<string> columns, string unknown) => columns.Count == 0 ? unknown : string.Join(", ", columns);

    private static ProblemDetails Problem(int status, string type, string title, string detail, params (string Name, object? Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        foreach (var (name, value) in extensions)
        {
            if (value is not null)
            {
                problem.Extensions[name] = value;
            }
        }

        return problem;
    }

    // Like MVC's ValidationProblemDetails: errors by member (the property, or the entity for a rule about the whole
    // entity), every message of every entity, in order. The messages never hold a sensitive value.
    private static HttpValidationProblemDetails Validation(ValidationException error)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var failure in error.Failures)
        {
            var member = failure.Property ?? failure.Entity;
            if (!errors.TryGetValue(member, out var messages))
            {
                errors[member] = messages = [];
            }

            if (!messages.Contains(failure.Message))
            {
                messages.Add(failure.Message);
            }
        }

        return new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = PremixProblemTypes.Validation,
            Title = "Invalid",
            Detail = $"{error.Failures.Count} validation failure{(error.Failures.Count == 1 ? string.Empty : "s")}; nothing was saved.",
        };
    }
}
