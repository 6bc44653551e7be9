namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>Decides one decoded admission request for an endpoint of <see cref="AdmissionEndpoint{TObject}"/>, and logs its decisions.</summary>
internal interface IAdmissionReviewer<TObject>
    where TObject : class
{
    /// <summary>The decision; <paramref name="deadline"/> bounds whatever has to wait (a look-up the cache cannot answer).</summary>
    ValueTask<AdmissionDecision> ReviewAsync(AdmissionRequest<TObject> request, AdmissionDeadline deadline);

    void Log(ILogger logger, AdmissionDecision decision);
}
