using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// Writes the minimal OpenID Connect discovery document the product documentation uploads: members in the
/// documented order, two-space indentation and a final newline, so the file equals the documentation's heredoc.
/// </summary>
internal static class DiscoveryDocumentWriter
{
    public static string Write(string issuer, string jwksUri, IEnumerable<string> signingAlgorithms)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(jwksUri);
        ArgumentNullException.ThrowIfNull(signingAlgorithms);
        return JsonOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("issuer", issuer);
            writer.WriteString("jwks_uri", jwksUri);
            writer.WriteStrings("response_types_supported", ["id_token"]);
            writer.WriteStrings("subject_types_supported", ["public"]);
            writer.WriteStrings("id_token_signing_alg_values_supported", signingAlgorithms);
            writer.WriteEndObject();
        });
    }
}
