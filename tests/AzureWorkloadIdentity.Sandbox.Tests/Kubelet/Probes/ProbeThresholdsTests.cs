using AzureWorkloadIdentity.Sandbox.Kubelet.Probes;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Probes;

public sealed class ProbeThresholdsTests
{
    [Fact]
    public void For_Defaults_ReadinessFailsAfterThreeFailuresInARow()
    {
        var readiness = ProbeThresholds.For(new V1Probe(), initial: false);

        Assert.True(readiness.Observe(true));
        Assert.True(readiness.Succeeded);
        Assert.False(readiness.Observe(false));
        Assert.False(readiness.Observe(false));
        Assert.True(readiness.Observe(false));
        Assert.False(readiness.Succeeded);
    }

    [Fact]
    public void Observe_SuccessThreshold_NeedsThatManySuccessesInARow()
    {
        var thresholds = new ProbeThresholds(successThreshold: 2, failureThreshold: 1, initial: false);

        Assert.False(thresholds.Observe(true));
        Assert.False(thresholds.Observe(false));
        Assert.False(thresholds.Observe(true));
        Assert.True(thresholds.Observe(true));
        Assert.True(thresholds.Succeeded);
    }

    [Fact]
    public void Observe_FailureInterrupted_CountStartsAgain()
    {
        var liveness = new ProbeThresholds(successThreshold: 1, failureThreshold: 2, initial: true);

        Assert.False(liveness.Observe(false));
        Assert.False(liveness.Observe(true));
        Assert.False(liveness.Observe(false));
        Assert.True(liveness.Succeeded);
        Assert.True(liveness.Observe(false));
        Assert.False(liveness.Succeeded);
    }
}
