using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// <c>azwi oidc discovery --issuer-url u [--jwks-uri j] [--public-keys f…] [--output-file out]</c>: the discovery
/// document to upload to <c>{issuer}/.well-known/openid-configuration</c>.
/// </summary>
internal static class DiscoveryCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        ArgumentNullException.ThrowIfNull(services);
        var issuerUrl = OidcOptions.IssuerUrl();
        var jwksUri = new Option<string>("--jwks-uri")
        {
            Description = "Where the JWKS is served. Default: the issuer URL (one trailing slash removed) + /openid/v1/jwks",
        };
        var publicKeys = OidcOptions.PublicKeys("Public keys the issuer signs with; their algorithms fill id_token_signing_alg_values_supported (default RS256)");
        var outputFile = new Option<string>("--output-file")
        {
            Description = "The file to write the discovery document to. If not provided, the default output is stdout",
        };
        var command = new Command("discovery", "Create the OpenID Connect discovery document (.well-known/openid-configuration) of a service account issuer")
        {
            issuerUrl,
            jwksUri,
            publicKeys,
            outputFile,
        };
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            var issuer = OidcOptions.RequireIssuer(parseResult.GetValue(issuerUrl));
            var jwks = parseResult.GetValue(jwksUri);
            if (jwks is not null && !IsHttps(jwks))
            {
                throw new CliUsageException($"--jwks-uri: '{jwks}' is not an absolute https URL; Entra ID fetches the keys only over https");
            }

            var algorithms = SigningAlgorithms(PublicKeyFileReader.Files(parseResult.GetValue(publicKeys)));
            var document = DiscoveryDocumentWriter.Write(issuer, jwks ?? IssuerUrl.DefaultJwksUri(issuer), algorithms);
            if (issuer.EndsWith('/'))
            {
                log.Warning(IssuerUrl.TrailingSlashWarning(issuer));
            }

            var path = parseResult.GetValue(outputFile);
            if (string.IsNullOrEmpty(path))
            {
                await services.Console.Out.WriteAsync(document).ConfigureAwait(false);
            }
            else
            {
                await OutputFile.WriteAsync(path, document, ownerOnly: false, cancellationToken).ConfigureAwait(false);
                log.Debug("wrote the discovery document", ("file", path));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The distinct algorithms of the keys in file order; RS256 without keys (Kubernetes' own default).</summary>
    private static IReadOnlyList<string> SigningAlgorithms(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return ["RS256"];
        }

        var keys = PublicKeyFileReader.ReadAll(files);
        try
        {
            return [.. keys.Select(JsonWebKeySetWriter.Algorithm).Distinct(StringComparer.Ordinal)];
        }
        finally
        {
            foreach (var key in keys)
            {
                key.Dispose();
            }
        }
    }

    private static bool IsHttps(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
