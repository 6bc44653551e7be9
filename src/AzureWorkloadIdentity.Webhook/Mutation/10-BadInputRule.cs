using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 10 for a decoded review: only the creation of a pod in a namespace can be decided. What cannot be decoded at
/// all (content type, empty, not JSON, no uid, over 3 MiB) is refused before this by <see cref="AdmissionDecoder"/> and
/// <see cref="AdmissionEndpoint"/>; other operations than <c>CREATE</c> are allowed by the reviewer without a patch.
/// </summary>
internal static class BadInputRule
{
    /// <summary>The pod, or why the request is none the webhook mutates.</summary>
    public static RuleResult<PodView> Check(AdmissionRequest<PodView> request, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pod = request.Object;
        var kind = request.Kind?.Kind ?? pod?.Kind;
        if (kind != "Pod" || !string.IsNullOrEmpty(request.Kind?.Group) || !string.IsNullOrEmpty(request.SubResource))
        {
            var what = string.IsNullOrEmpty(request.SubResource) ? kind ?? "(unknown kind)" : $"{kind}/{request.SubResource}";
            return new Denial(DenialReasons.NotAPod, $"this webhook only mutates pods; the request is for {what}");
        }

        if (pod is not { Shape: System.Text.Json.JsonValueKind.Object })
        {
            return new Denial(DenialReasons.BadRequest, "request.object is missing or not a JSON object; expected the pod being created");
        }

        return @namespace.Length == 0
            ? new Denial(DenialReasons.BadRequest, "request.namespace is missing; cannot find the pod's service account")
            : pod;
    }
}
