namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-WH-001: a MutatingWebhookConfiguration registers our webhook for pod CREATEs.</summary>
internal sealed class WebhookInstalledCheck : IDoctorCheck
{
    public string Code => DoctorCodes.WebhookInstalled;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var webhooks = await context.WebhooksAsync(cancellationToken).ConfigureAwait(false);
        const string Fix = "install the webhook (helm install workload-identity-webhook … or kubectl apply -f deploy/azure-wi-webhook.yaml), then recreate the pod";
        if (webhooks.Count == 0)
        {
            return DoctorFinding.Fail(Code, $"no MutatingWebhookConfiguration registers the webhook {WebhookRegistration.WebhookName}: no pod is mutated", Fix);
        }

        var pods = webhooks.FirstOrDefault(w => w.ReceivesPodCreates);
        return pods is null
            ? DoctorFinding.Fail(Code, $"MutatingWebhookConfiguration {webhooks[0].ConfigurationName} has no rule for pod CREATE", "restore the rule apiGroups [\"\"], apiVersions [v1], resources [pods], operations [CREATE] (reinstall the chart)")
            : DoctorFinding.Pass(Code, $"MutatingWebhookConfiguration {pods.ConfigurationName} registers {WebhookRegistration.WebhookName} for pod CREATE (failurePolicy {pods.Webhook.FailurePolicy ?? "Fail"})");
    }
}
