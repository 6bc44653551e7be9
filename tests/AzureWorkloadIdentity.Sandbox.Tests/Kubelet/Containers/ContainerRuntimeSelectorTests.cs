using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Containers;

// The mode comes from a process-wide environment variable: these tests set it, so they do not run in parallel.
[Collection(nameof(ContainerRuntimeSelectorTests))]
public sealed class ContainerRuntimeSelectorTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(ContainerRuntimeSelector.ModeVariable);

    [Theory]
    [InlineData("process", false, "local processes (AZWI_SANDBOX_CONTAINER_RUNTIME=process)")]
    [InlineData("PODMAN", true, "OCI containers with podman (AZWI_SANDBOX_CONTAINER_RUNTIME=podman)")]
    public void UseContainers_ModeForced_FollowsItAndSaysWhy(string value, bool expected, string said)
    {
        Environment.SetEnvironmentVariable(ContainerRuntimeSelector.ModeVariable, value);

        var containers = ContainerRuntimeSelector.UseContainers(out var note);

        Assert.Equal(expected, containers);
        Assert.Contains(said, note, StringComparison.Ordinal);
    }

    [Fact]
    public void UseContainers_Auto_ContainersExactlyWhenPodmanWorks()
    {
        Environment.SetEnvironmentVariable(ContainerRuntimeSelector.ModeVariable, "auto");

        var containers = ContainerRuntimeSelector.UseContainers(out var note);

        Assert.Equal(ContainerRuntimeSelector.PodmanUnavailableReason is null, containers);
        Assert.Contains(containers ? "OCI containers" : ContainerRuntimeSelector.PodmanUnavailableReason!, note, StringComparison.Ordinal);
    }

    [Fact]
    public void UseContainers_UnknownMode_ThrowsNamingTheValidModes()
    {
        Environment.SetEnvironmentVariable(ContainerRuntimeSelector.ModeVariable, "docker");

        var failure = Assert.Throws<InvalidOperationException>(() => ContainerRuntimeSelector.UseContainers(out _));

        Assert.Equal("AZWI_SANDBOX_CONTAINER_RUNTIME=\"docker\" is not a container runtime mode; use podman, process or auto", failure.Message);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(ContainerRuntimeSelector.ModeVariable, _saved);
}
