namespace Premix.Tests.Aot;

/// <summary>Removes the native AOT publish (a 25 MiB binary and its symbols) once every fixture of this namespace has run.</summary>
[SetUpFixture]
public sealed class NativeAotPublishCleanup
{
    [OneTimeTearDown]
    public Task DeletePublishAsync() => NativeAotPublish.DeleteAsync();
}
