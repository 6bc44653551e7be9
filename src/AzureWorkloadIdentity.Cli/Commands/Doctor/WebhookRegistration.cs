using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>Our webhook as registered in a MutatingWebhookConfiguration (found by the webhook's name, as the chart names it).</summary>
internal sealed record WebhookRegistration(string ConfigurationName, V1MutatingWebhook Webhook)
{
    public const string WebhookName = "mutation.azure-workload-identity.io";

    public static async Task<IReadOnlyList<WebhookRegistration>> ListAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var list = await client.AdmissionregistrationV1.ListMutatingWebhookConfigurationAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return
        [
            .. from configuration in list.Items
               from webhook in configuration.Webhooks ?? []
               where webhook.Name == WebhookName
               select new WebhookRegistration(configuration.Name(), webhook),
        ];
    }

    /// <summary>Whether one of its rules sends pod CREATEs to it.</summary>
    public bool ReceivesPodCreates =>
        (Webhook.Rules ?? []).Any(r =>
            Has(r.ApiGroups, string.Empty) && Has(r.ApiVersions, "v1") && Has(r.Resources, "pods") && Has(r.Operations, "CREATE"));

    private static bool Has(IList<string>? values, string value) => values is not null && values.Any(v => v == "*" || v == value);
}
