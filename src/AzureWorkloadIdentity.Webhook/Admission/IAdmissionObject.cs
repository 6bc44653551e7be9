using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// What an endpoint keeps of <c>request.object</c>: read in the decoder's one forward pass over the body, so each
/// endpoint reads just the members its rules need (a pod for the mutation, a pod template for the workload warnings).
/// </summary>
internal interface IAdmissionObject<TSelf>
    where TSelf : IAdmissionObject<TSelf>
{
    /// <summary>Reads the value under <paramref name="reader"/> (any JSON: the rules decide what is no object), leaving the reader on its last token.</summary>
    static abstract TSelf Read(ref Utf8JsonReader reader);
}
