namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// The identity a person (or azwi, or the quick start) uses to administer the sandbox, as an Azure CLI user would:
/// an application with a client secret, Owner and Key Vault Administrator on the subscription.
/// </summary>
internal sealed record SandboxOperator(string ClientId, string ClientSecret, string ObjectId);
