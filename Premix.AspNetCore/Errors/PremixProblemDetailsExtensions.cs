using Microsoft.Extensions.DependencyInjection;

namespace Premix.AspNetCore;

/// <summary>Registers the mapping of Premix's exceptions to RFC 9457 problem details.</summary>
public static class PremixProblemDetailsExtensions
{
    /// <summary>
    /// Adds an <see cref="Microsoft.AspNetCore.Diagnostics.IExceptionHandler"/> that answers Premix's exceptions with
    /// problem details (404, 400, 409, 503, 500; see docs/aspnetcore.md) through <see cref="Microsoft.AspNetCore.Http.IProblemDetailsService"/>,
    /// which it registers too (<c>AddProblemDetails</c>). Use it with <c>app.UseExceptionHandler()</c>. Other exceptions
    /// are left to the application's other handlers. No body holds SQL or a value of the row.
    /// </summary>
    public static IServiceCollection AddPremixProblemDetails(this IServiceCollection services, Action<PremixProblemDetailsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PremixProblemDetailsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddProblemDetails();
        services.AddExceptionHandler<PremixExceptionHandler>();
        return services;
    }
}
