using Microsoft.Extensions.Logging;
using Premix.Mapping;

namespace Premix;

/// <summary>Creates Premix without dependency injection, for scripts, tools and tests.</summary>
public static class PremixFactory
{
    /// <summary>Validates the model, compiles every plan and returns the ready <see cref="IPremix"/>.</summary>
    /// <param name="configure">Chooses the provider and adds the mapping classes.</param>
    /// <param name="loggerFactory">Where Premix logs; <see langword="null"/> for no logging.</param>
    /// <exception cref="MappingException">The mapping is invalid; the message lists every problem.</exception>
    /// <exception cref="NotSupportedException">Dynamic code is off (native AOT) and no generated model is registered
    /// (<c>UseGeneratedModel</c>); if the mapping has problems too, they are listed after it and its
    /// <see cref="Exception.InnerException"/> is the <see cref="MappingException"/>.</exception>
    /// <exception cref="InvalidOperationException">No provider was chosen.</exception>
    public static IPremix Create(Action<PremixOptionsBuilder> configure, ILoggerFactory? loggerFactory = null) =>
        PremixDatabase.Start(PremixRuntime.Build(configure), loggerFactory);
}
