namespace Premix;

/// <summary>Where the application runs, as far as connection pooling is concerned (docs/configuration.md).</summary>
public enum HostingEnvironment
{
    /// <summary>A long-running process on a server or VM: a pool sized from the CPU count.</summary>
    Server,

    /// <summary>A pod in Kubernetes: many replicas share the database, so each pool is smaller.</summary>
    Kubernetes,

    /// <summary>AWS Lambda: one request per instance at a time, instances frozen between requests.</summary>
    AwsLambda,

    /// <summary>Azure Functions: short-lived instances that may run a few calls at once.</summary>
    AzureFunctions,

    /// <summary>Google Cloud Run: containers serving concurrent requests, scaled to zero when idle.</summary>
    GoogleCloudRun,

    /// <summary>Google Cloud Functions: short-lived instances, one or a few calls at once.</summary>
    GoogleCloudFunctions,
}
