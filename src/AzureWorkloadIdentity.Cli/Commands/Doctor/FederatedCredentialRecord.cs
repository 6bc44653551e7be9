namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>A federated identity credential as Graph or Resource Manager returns it.</summary>
internal sealed record FederatedCredentialRecord(string Name, string Issuer, string Subject, IReadOnlyList<string> Audiences);
