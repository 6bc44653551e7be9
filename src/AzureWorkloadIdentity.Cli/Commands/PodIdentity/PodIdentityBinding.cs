namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary>An aad-pod-identity selector (the pods' <c>aadpodidbinding</c> label value) and the identity it binds.</summary>
internal sealed record PodIdentityBinding(string Selector, string IdentityName, string ClientId);
