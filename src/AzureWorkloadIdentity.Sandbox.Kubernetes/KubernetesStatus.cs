using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>The API's <c>Status</c> document, as clients (KubernetesClient, kubectl) parse it.</summary>
public static class KubernetesStatus
{
    public static JsonObject Failure(KubernetesApiException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = Failure(error.Code, error.Reason, error.Message);
        if (error.Type is not null || error.ObjectName is not null)
        {
            var details = new JsonObject();
            if (error.ObjectName is not null)
            {
                details["name"] = error.ObjectName;
            }

            if (error.Type is not null)
            {
                details["group"] = error.Type.Group;
                details["kind"] = error.Type.Plural;
            }

            status["details"] = details;
        }

        return status;
    }

    public static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
