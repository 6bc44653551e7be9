using System.CommandLine;
using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>The persistent authentication flags of <c>azwi serviceaccount</c> (inherited by create, delete and phases).</summary>
internal sealed class AuthenticationFlags
{
    public Option<string> AzureEnv { get; } = new("--azure-env") { Description = "the target Azure cloud (AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud, or AzureStackCloud with AZURE_ENVIRONMENT_FILEPATH)", DefaultValueFactory = _ => "AzurePublicCloud", Recursive = true };

    public Option<string> SubscriptionId { get; } = new("--subscription-id", "-s") { Description = "azure subscription id (required; default: the Azure CLI's selected subscription)", Recursive = true };

    public Option<string> AuthMethod { get; } = new("--auth-method") { Description = "auth method to use. Supported values: cli, client_secret, client_certificate, default", DefaultValueFactory = _ => "cli", Recursive = true };

    public Option<string> ClientId { get; } = new("--client-id") { Description = "client id (used with --auth-method=[client_secret|client_certificate])", Recursive = true };

    public Option<string> ClientSecret { get; } = new("--client-secret") { Description = "client secret (used with --auth-method=client_secret)", Recursive = true };

    public Option<string> CertificatePath { get; } = new("--certificate-path") { Description = "path to client certificate (used with --auth-method=client_certificate)", Recursive = true };

    public Option<string> PrivateKeyPath { get; } = new("--private-key-path") { Description = "path to private key (used with --auth-method=client_certificate)", Recursive = true };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { AzureEnv, SubscriptionId, AuthMethod, ClientId, ClientSecret, CertificatePath, PrivateKeyPath })
        {
            command.Options.Add(option);
        }
    }

    public AuthenticationSettings Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new AuthenticationSettings(
            parseResult.GetValue(AuthMethod), parseResult.GetValue(ClientId), parseResult.GetValue(ClientSecret),
            parseResult.GetValue(CertificatePath), parseResult.GetValue(PrivateKeyPath));
    }
}
