namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// <c>POST /mutate-v1-pod</c>: read, decode, decide, answer (<see cref="AdmissionEndpoint{TObject}"/>), the pod's
/// decision by <see cref="AdmissionReviewer"/>.
/// </summary>
internal static class MutateEndpoint
{
    public const string Path = "/mutate-v1-pod";

    public static RequestDelegate Create(IServiceProvider services) =>
        AdmissionEndpoint.Create<Mutation.Pods.PodView, AdmissionReviewer>(services);
}
