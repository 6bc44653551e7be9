using AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Restarts;

public sealed class RestartRulesTests
{
    [Theory]
    [InlineData("Always", 0, true)]
    [InlineData("Always", 1, true)]
    [InlineData(null, 0, true)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 2, true)]
    [InlineData("Never", 0, false)]
    [InlineData("Never", 137, false)]
    public void ShouldRestart_RegularContainer_FollowsPodPolicy(string? policy, int exitCode, bool expected) =>
        Assert.Equal(expected, RestartRules.ShouldRestart(policy, sidecar: false, exitCode));

    [Theory]
    [InlineData("Never", 0)]
    [InlineData("OnFailure", 0)]
    [InlineData("Never", 1)]
    public void ShouldRestart_NativeSidecar_AlwaysRestarts(string policy, int exitCode) =>
        Assert.True(RestartRules.ShouldRestart(policy, sidecar: true, exitCode));

    [Theory]
    [InlineData("Always", true)]
    [InlineData(null, true)]
    [InlineData("OnFailure", true)]
    [InlineData("Never", false)]
    public void ShouldRestartInitContainer_FailedInitContainer_RunsAgainUnlessNever(string? policy, bool expected) =>
        Assert.Equal(expected, RestartRules.ShouldRestartInitContainer(policy));
}
