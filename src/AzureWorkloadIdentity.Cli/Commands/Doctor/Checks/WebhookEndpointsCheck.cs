using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-WH-002: the webhook can be called: its Service has ready endpoints (or its URL answers).</summary>
internal sealed class WebhookEndpointsCheck : IDoctorCheck
{
    public string Code => DoctorCodes.WebhookEndpoints;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var registration = await context.PodWebhookAsync(cancellationToken).ConfigureAwait(false);
        var client = registration?.Webhook.ClientConfig;
        if (client is null)
        {
            return null;
        }

        var ignore = registration!.Webhook.FailurePolicy == "Ignore"
            ? "; with failurePolicy Ignore pods are created unmutated meanwhile and must be recreated"
            : "; with failurePolicy Fail pod creation fails meanwhile";
        if (client.Url is { Length: > 0 } url)
        {
            var (certificate, error) = await WebhookProbe.HandshakeAsync(new Uri(url), cancellationToken).ConfigureAwait(false);
            certificate?.Dispose();
            return error is null
                ? DoctorFinding.Pass(Code, $"the webhook answers at {url}")
                : DoctorFinding.Fail(Code, $"the webhook at {url} cannot be reached: {error}{ignore}", "start the webhook (or fix clientConfig.url), then recreate pods created meanwhile");
        }

        if (client.Service is not { } service)
        {
            return DoctorFinding.Fail(Code, $"{registration.ConfigurationName} has neither clientConfig.url nor clientConfig.service", "reinstall the webhook");
        }

        var where = $"{service.NamespaceProperty}/{service.Name}";
        try
        {
            await context.Kubernetes.CoreV1.ReadNamespacedServiceAsync(service.Name, service.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            var endpoints = await context.Kubernetes.CoreV1.ReadNamespacedEndpointsAsync(service.Name, service.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            var ready = (endpoints.Subsets ?? []).Sum(s => s.Addresses?.Count ?? 0);
            return ready > 0
                ? DoctorFinding.Pass(Code, $"Service {where} has {ready} ready endpoint(s)")
                : DoctorFinding.Fail(Code, $"Service {where} has no ready endpoints: no webhook pod is ready{ignore}",
                    $"kubectl get pods -n {service.NamespaceProperty} -l app=workload-identity-webhook; read their logs (kubectl logs -n {service.NamespaceProperty} -l app=workload-identity-webhook)");
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return DoctorFinding.Fail(Code, $"Service {where} (or its endpoints) not found{ignore}", "reinstall the webhook so its Service and Deployment exist");
        }
    }
}
