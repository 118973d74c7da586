namespace Premix.Tests.Configuration;

/// <summary>The environment is read from the variables each platform sets, most specific first; the defaults follow from it.</summary>
public sealed class HostingDetectorTests
{
    public static IEnumerable<TestCaseData> Environments()
    {
        yield return Case(HostingEnvironment.Server);
        yield return Case(HostingEnvironment.Server, ("PATH", "/usr/bin"), ("HOSTNAME", "web-1"));
        yield return Case(HostingEnvironment.Kubernetes, ("KUBERNETES_SERVICE_HOST", "10.0.0.1"));
        yield return Case(HostingEnvironment.AwsLambda, ("AWS_LAMBDA_FUNCTION_NAME", "orders"));
        yield return Case(HostingEnvironment.AwsLambda, ("AWS_EXECUTION_ENV", "AWS_Lambda_dotnet8"));
        yield return Case(HostingEnvironment.Server, ("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE"));
        yield return Case(HostingEnvironment.AzureFunctions, ("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated"));
        yield return Case(HostingEnvironment.AzureFunctions, ("AZURE_FUNCTIONS_ENVIRONMENT", "Production"), ("KUBERNETES_SERVICE_HOST", "10.0.0.1"));
        yield return Case(HostingEnvironment.GoogleCloudRun, ("K_SERVICE", "shop"), ("K_REVISION", "shop-00001"));
        yield return Case(HostingEnvironment.GoogleCloudFunctions, ("K_SERVICE", "orders"), ("FUNCTION_TARGET", "Orders.Function"));
        yield return Case(HostingEnvironment.GoogleCloudRun, ("K_SERVICE", "shop"), ("KUBERNETES_SERVICE_HOST", "10.0.0.1"));
        yield return Case(HostingEnvironment.Server, ("AWS_LAMBDA_FUNCTION_NAME", ""));
    }

    [TestCaseSource(nameof(Environments))]
    public void The_environment_is_detected_from_its_variables(Dictionary<string, string> variables, HostingEnvironment expected) =>
        Assert.That(HostingDetector.Detect(name => variables.GetValueOrDefault(name)), Is.EqualTo(expected));

    [TestCase(HostingEnvironment.Server, 1, 10)]
    [TestCase(HostingEnvironment.Server, 8, 32)]
    [TestCase(HostingEnvironment.Server, 64, 100)]
    [TestCase(HostingEnvironment.Kubernetes, 1, 5)]
    [TestCase(HostingEnvironment.Kubernetes, 8, 16)]
    [TestCase(HostingEnvironment.Kubernetes, 64, 50)]
    [TestCase(HostingEnvironment.GoogleCloudRun, 2, 8)]
    [TestCase(HostingEnvironment.GoogleCloudRun, 16, 20)]
    [TestCase(HostingEnvironment.AwsLambda, 16, 2)]
    [TestCase(HostingEnvironment.AzureFunctions, 16, 5)]
    [TestCase(HostingEnvironment.GoogleCloudFunctions, 16, 5)]
    public void The_pool_is_sized_for_the_environment(HostingEnvironment environment, int processors, int maxPoolSize)
    {
        var settings = ConnectionSettings.For(environment, processors);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.MaxPoolSize, Is.EqualTo(maxPoolSize));
            Assert.That(settings.MinPoolSize, Is.Zero);
            Assert.That(settings.CommandTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            var serverless = environment is HostingEnvironment.AwsLambda or HostingEnvironment.AzureFunctions or HostingEnvironment.GoogleCloudFunctions;
            Assert.That(settings.IdleLifetime, serverless ? Is.LessThanOrEqualTo(TimeSpan.FromMinutes(1)) : Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(settings.ConnectTimeout, serverless ? Is.EqualTo(TimeSpan.FromSeconds(5)) : Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)));
        }
    }

    private static TestCaseData Case(HostingEnvironment expected, params (string Name, string Value)[] variables) =>
        new TestCaseData(variables.ToDictionary(v => v.Name, v => v.Value), expected)
            .SetArgDisplayNames(variables.Length == 0 ? "no variables" : string.Join(" ", variables.Select(v => $"{v.Name}={v.Value}")), expected.ToString());
}
