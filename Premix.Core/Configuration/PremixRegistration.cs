namespace Premix;

/// <summary>
/// What <c>AddPremix</c> was given, kept as a service so that the <c>premix</c> tool, having built the application's host
/// without starting it, can configure Premix exactly as the application does and then apply its command-line overrides.
/// </summary>
/// <param name="Configure">The application's configuration of Premix.</param>
internal sealed record PremixRegistration(Action<PremixOptionsBuilder> Configure);
