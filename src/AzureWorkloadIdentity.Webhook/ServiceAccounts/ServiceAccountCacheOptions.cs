using System.ComponentModel.DataAnnotations;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Settings of the service-account cache (configuration section <see cref="SectionName"/>).</summary>
public sealed class ServiceAccountCacheOptions
{
    public const string SectionName = "ServiceAccountCache";

    /// <summary>
    /// Longest time an admission waits for a service account that is not cached. Kept well under the API server's
    /// webhook timeout (10 s by default) so the webhook can still answer with a clear denial.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First wait before reconnecting after a failed list or watch; doubles up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one watch request may stay open before the server ends it and the cache resumes from its last
    /// resourceVersion; a little jitter is added so replicas do not reconnect together.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Service accounts per page of the initial list (the API server's <c>limit</c>; client-go's reflector uses 500).</summary>
    [Range(1, 10_000)]
    public int ListPageSize { get; set; } = 500;

    /// <summary>Optional kubeconfig path; otherwise in-cluster configuration, <c>KUBECONFIG</c>, or <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }
}
