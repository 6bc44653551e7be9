using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>Checks <see cref="CertificateRotationOptions"/> and reports every problem at once, by environment variable name.</summary>
internal sealed class CertificateRotationOptionsValidator : IValidateOptions<CertificateRotationOptions>
{
    private const string Prefix = CertificateRotationOptions.SectionName + "__";

    public ValidateOptionsResult Validate(string? name, CertificateRotationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        void Require(string value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{key} must not be empty");
            }
        }

        Require(options.Namespace, $"{CertificateRotationOptions.NamespaceVariable} (or {Prefix}{nameof(options.Namespace)})");
        Require(options.ServiceName, Prefix + nameof(options.ServiceName));
        Require(options.SecretName, Prefix + nameof(options.SecretName));
        Require(options.WebhookConfigurationName, Prefix + nameof(options.WebhookConfigurationName));
        Require(options.CertDir, Prefix + nameof(options.CertDir));
        if (options.ReconcileInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Prefix}{nameof(options.ReconcileInterval)} is {options.ReconcileInterval}; it must be positive (default 00:00:30)");
        }

        if (options.ServingRecordLifetime < options.ReconcileInterval * 3)
        {
            // Records are refreshed after a third of their lifetime, at the next reconcile: it must come in time.
            problems.Add($"{Prefix}{nameof(options.ServingRecordLifetime)} is {options.ServingRecordLifetime}; it must be at least three times {nameof(options.ReconcileInterval)} ({options.ReconcileInterval})");
        }

        if (options.CaRenewBefore <= TimeSpan.Zero || options.CaRenewBefore >= options.CaValidity)
        {
            problems.Add($"{Prefix}{nameof(options.CaRenewBefore)} is {options.CaRenewBefore}; it must be positive and shorter than {nameof(options.CaValidity)} ({options.CaValidity})");
        }

        if (options.ServerRenewBefore <= TimeSpan.Zero || options.ServerRenewBefore >= options.ServerValidity)
        {
            problems.Add($"{Prefix}{nameof(options.ServerRenewBefore)} is {options.ServerRenewBefore}; it must be positive and shorter than {nameof(options.ServerValidity)} ({options.ServerValidity})");
        }

        if (options.ServerRenewBefore >= options.CaRenewBefore)
        {
            // A server certificate never outlives its CA; renewing the CA first keeps new server certificates
            // outside their own renewal window.
            problems.Add($"{Prefix}{nameof(options.ServerRenewBefore)} ({options.ServerRenewBefore}) must be shorter than {nameof(options.CaRenewBefore)} ({options.CaRenewBefore})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
