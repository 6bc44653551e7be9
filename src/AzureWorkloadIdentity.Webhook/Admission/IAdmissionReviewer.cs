namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>Decides one decoded admission request for an endpoint of <see cref="AdmissionEndpoint"/>, and logs its decisions.</summary>
public interface IAdmissionReviewer<TObject>
    where TObject : class
{
    ValueTask<AdmissionDecision> ReviewAsync(AdmissionRequest<TObject> request, CancellationToken cancellationToken);

    void Log(ILogger logger, AdmissionDecision decision);
}
