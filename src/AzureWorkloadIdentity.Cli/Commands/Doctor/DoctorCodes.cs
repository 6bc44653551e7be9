namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// The stable codes of <c>azwi doctor</c>, one per link of the chain; scripts match on them and docs/troubleshooting.md
/// explains each (a test keeps the two in step).
/// </summary>
internal static class DoctorCodes
{
    public const string WebhookInstalled = "WI-WH-001";
    public const string WebhookEndpoints = "WI-WH-002";
    public const string WebhookCaBundle = "WI-WH-003";
    public const string WebhookSelectors = "WI-WH-004";

    public const string OptInLabel = "WI-OPT-001";
    public const string OptInOnTemplate = "WI-OPT-002";
    public const string OptInValue = "WI-OPT-003";

    public const string ServiceAccountExists = "WI-SA-001";
    public const string ClientIdPresent = "WI-SA-002";
    public const string ClientIdFormat = "WI-SA-003";
    public const string NearMissAnnotation = "WI-SA-004";
    public const string TenantIdFormat = "WI-SA-005";
    public const string TokenExpiration = "WI-SA-006";

    public const string PodMutated = "WI-POD-001";
    public const string SkipContainers = "WI-POD-002";
    public const string TokenReadable = "WI-POD-003";

    public const string IssuerReachable = "WI-ISS-001";
    public const string TokenIssuer = "WI-ISS-002";

    public const string AzureSignIn = "WI-AZ-001";
    public const string IdentityExists = "WI-FIC-001";
    public const string CredentialIssuer = "WI-FIC-002";
    public const string CredentialSubject = "WI-FIC-003";
    public const string CredentialAudience = "WI-FIC-004";

    public const string Exchange = "WI-EX-001";

    /// <summary>Every code with its one-line title, in the order the checks run.</summary>
    public static IReadOnlyList<(string Code, string Title)> All { get; } =
    [
        (WebhookInstalled, "the webhook's MutatingWebhookConfiguration is installed"),
        (WebhookEndpoints, "the webhook's Service has ready endpoints (or its URL answers)"),
        (WebhookCaBundle, "the configuration's caBundle trusts the certificate the webhook serves"),
        (WebhookSelectors, "the namespace and object selectors send the pod to the webhook"),
        (OptInLabel, "the pod opts in with the label azure.workload.identity/use: \"true\""),
        (OptInOnTemplate, "the opt-in label is on the pod template, not only on the workload"),
        (OptInValue, "the opt-in label's value is exactly \"true\""),
        (ServiceAccountExists, "the pod's service account exists"),
        (ClientIdPresent, "the service account has the azure.workload.identity/client-id annotation"),
        (ClientIdFormat, "the client id is a well-formed GUID"),
        (NearMissAnnotation, "no annotation key that looks like ours but is not"),
        (TenantIdFormat, "the tenant-id annotation is a well-formed GUID"),
        (TokenExpiration, "the token expiration annotation is a whole number of seconds between 3600 and 86400"),
        (PodMutated, "the pod was mutated (environment, token volume and mount present)"),
        (SkipContainers, "skip-containers names containers that exist"),
        (TokenReadable, "the token file is readable by the container's user"),
        (IssuerReachable, "the cluster's issuer discovery document is reachable over HTTPS from outside"),
        (TokenIssuer, "the service account token's iss equals the cluster's issuer"),
        (AzureSignIn, "azwi can sign in to Azure to read the identity"),
        (IdentityExists, "the identity named by client-id exists (application or user-assigned identity)"),
        (CredentialIssuer, "a federated credential's issuer equals the token's iss byte for byte"),
        (CredentialSubject, "its subject equals system:serviceaccount:<namespace>:<name>"),
        (CredentialAudience, "its audiences contain the token's audience"),
        (Exchange, "Entra ID exchanges a fresh service account token for an access token"),
    ];
}
