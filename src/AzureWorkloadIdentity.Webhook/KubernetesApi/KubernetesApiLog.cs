namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

internal static partial class KubernetesApiLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error,
        Message = "the API server refused {Verb} on {Resource} (HTTP 403): the webhook's ClusterRole/Role needs {Verb} on {Resource}; install the chart's RBAC (or deploy/azure-wi-webhook.yaml) unchanged. {Detail}")]
    public static partial void Forbidden(ILogger logger, string verb, string resource, string detail);
}
