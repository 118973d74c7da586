namespace Premix;

/// <summary>Tells where the application runs from the environment variables each platform sets.</summary>
public static class HostingDetector
{
    /// <summary>Detects the environment of the current process.</summary>
    public static HostingEnvironment Detect() => Detect(Environment.GetEnvironmentVariable);

    /// <summary>
    /// Detects the environment from <paramref name="variable"/> (a lookup of environment variables), checking the most
    /// specific platforms first: a Cloud Function also sets Cloud Run's <c>K_SERVICE</c>, and any of them may run on
    /// Kubernetes underneath.
    /// </summary>
    public static HostingEnvironment Detect(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        bool Set(string name) => !string.IsNullOrEmpty(variable(name));

        if (Set("AWS_LAMBDA_FUNCTION_NAME") || (variable("AWS_EXECUTION_ENV")?.StartsWith("AWS_Lambda_", StringComparison.Ordinal) ?? false))
        {
            return HostingEnvironment.AwsLambda;
        }

        if (Set("FUNCTIONS_WORKER_RUNTIME") || Set("AZURE_FUNCTIONS_ENVIRONMENT"))
        {
            return HostingEnvironment.AzureFunctions;
        }

        if (Set("FUNCTION_TARGET") || Set("FUNCTION_NAME"))
        {
            return HostingEnvironment.GoogleCloudFunctions;
        }

        if (Set("K_SERVICE"))
        {
            return HostingEnvironment.GoogleCloudRun;
        }

        return Set("KUBERNETES_SERVICE_HOST") ? HostingEnvironment.Kubernetes : HostingEnvironment.Server;
    }
}
