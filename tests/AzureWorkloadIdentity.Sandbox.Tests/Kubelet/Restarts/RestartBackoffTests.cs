using AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Restarts;

public sealed class RestartBackoffTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 20)]
    [InlineData(2, 40)]
    [InlineData(4, 160)]
    [InlineData(5, 300)]
    [InlineData(50, 300)]
    public void Delay_KubeletDefaults_DoublesFromTenSecondsUpToFiveMinutes(int restartCount, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RestartBackoff.Delay(restartCount, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Delay_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RestartBackoff.Delay(-1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
}
