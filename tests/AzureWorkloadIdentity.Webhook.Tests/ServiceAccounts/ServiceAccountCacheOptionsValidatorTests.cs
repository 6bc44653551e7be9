using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.ServiceAccounts;

public sealed class ServiceAccountCacheOptionsValidatorTests
{
    private readonly ServiceAccountCacheOptionsValidator _validator = new();

    [Fact]
    public void Defaults_AreValid() => Assert.True(_validator.Validate(null, new ServiceAccountCacheOptions()).Succeeded);

    [Fact]
    public void EveryProblem_IsReportedAtOnce_NamingTheSettingAndTheRange()
    {
        var result = _validator.Validate(null, new ServiceAccountCacheOptions
        {
            LookupTimeout = TimeSpan.FromSeconds(45),
            InitialBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(1),
            WatchTimeout = TimeSpan.Zero,
            ListPageSize = 0,
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("ServiceAccountCache__LookupTimeout is 00:00:45; it must be between 00:00:00.0010000 and 00:00:30", StringComparison.Ordinal)
            && f.Contains("webhook timeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceAccountCache__MaxBackoff (00:00:01) is shorter than InitialBackoff (00:00:10)", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceAccountCache__WatchTimeout is 00:00:00; it must be between 00:00:01 and 01:00:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ServiceAccountCache__ListPageSize is 0; it must be between 1 and 10000", StringComparison.Ordinal));
    }
}
