namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// Settings of the service-account cache (configuration section <see cref="SectionName"/>); checked at start by
/// <see cref="ServiceAccountCacheOptionsValidator"/>.
/// </summary>
internal sealed class ServiceAccountCacheOptions
{
    public const string SectionName = "ServiceAccountCache";

    /// <summary>
    /// Longest time an admission waits for a service account that is not cached. Kept well under the API server's
    /// webhook timeout (10 s by default) so the webhook can still answer with a clear denial.
    /// </summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First wait before reconnecting after a failed list or watch; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one watch request may stay open before the server ends it and the cache resumes from its last
    /// resourceVersion; a little jitter is added so replicas do not reconnect together.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Service accounts per page of the initial list (the API server's <c>limit</c>; client-go's reflector uses 500).</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>Optional kubeconfig path; otherwise in-cluster configuration, <c>KUBECONFIG</c>, or <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }
}
