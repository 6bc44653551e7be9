using System.Globalization;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>The AADSTS codes a workload identity exchange meets, with what each means for it and the fix.</summary>
internal static partial class AadstsCodes
{
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [70021] = "no federated credential matches the token's issuer, subject and audience; compare them with azwi doctor's WI-FIC-002..004",
        [700211] = "no federated credential has the token's issuer (byte for byte, trailing slash included)",
        [700212] = "no federated credential has the token's audience",
        [700213] = "no federated credential has the token's subject system:serviceaccount:<namespace>:<name>",
        [7002138] = "the subject matches only ignoring case; Entra ID compares it case-sensitively",
        [90061] = "Entra ID could not fetch the issuer's discovery document or keys: the issuer is not reachable from the internet over HTTPS",
        [700016] = "no application or identity with this client id in the tenant: wrong client-id, wrong tenant-id, or the identity was deleted",
        [7000229] = "the application has no service principal in the tenant; create one (az ad sp create --id <client-id>)",
        [90002] = "the tenant does not exist: check azure.workload.identity/tenant-id and the cloud",
        [700024] = "the token is outside its valid time (expired or not yet valid): check the node's clock and the token lifetime",
        [700027] = "the token's signature does not verify with the issuer's published keys: publish the current service account key in the JWKS",
        [50027] = "the token is not a valid JWT (malformed, unexpected issuer or audience, or expired)",
        [700222] = "an Entra-issued token was presented; use the cluster's service account token",
        [50012] = "the client assertion's audience is wrong",
    };

    /// <summary>The AADSTS code in an error message, or null.</summary>
    public static int? Find(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = Code().Match(message);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    public static string Meaning(int code) =>
        Meanings.TryGetValue(code, out var meaning) ? meaning : "see https://login.microsoftonline.com/error?code=" + code.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"AADSTS(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Code();
}
