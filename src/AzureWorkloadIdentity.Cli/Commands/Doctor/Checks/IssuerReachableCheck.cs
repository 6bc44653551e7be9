using System.Text.Json;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-ISS-001: the issuer the API server publishes serves its discovery document and JWKS over HTTPS to anyone,
/// as Entra ID fetches them (AADSTS90061 otherwise).
/// </summary>
internal sealed class IssuerReachableCheck : IDoctorCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Code => DoctorCodes.IssuerReachable;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        const string Fix = "publish /.well-known/openid-configuration and the JWKS at the issuer URL over public HTTPS (AKS: enable the OIDC issuer; self-managed: see azwi oidc verify)";
        var cluster = await context.IssuerAsync(cancellationToken).ConfigureAwait(false);
        if (cluster.Issuer is not { } issuer)
        {
            return DoctorFinding.Fail(Code, $"the API server's issuer discovery could not be read: {cluster.Error}", "enable service account issuer discovery on the API server (--service-account-issuer, --service-account-jwks-uri)");
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return DoctorFinding.Fail(Code, $"the cluster's issuer \"{issuer}\" is not an https URL; Entra ID answers AADSTS90061", Fix);
        }

        var discovery = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        using var http = new HttpClient(context.CreateHandler(), disposeHandler: true) { Timeout = Timeout };
        try
        {
            using var document = JsonDocument.Parse(await GetAsync(http, discovery, cancellationToken).ConfigureAwait(false));
            var jwks = document.RootElement.TryGetProperty("jwks_uri", out var value) ? value.GetString() : null;
            if (jwks is null)
            {
                return DoctorFinding.Fail(Code, $"{discovery} has no jwks_uri; Entra ID answers AADSTS90061", Fix);
            }

            await GetAsync(http, new Uri(jwks), cancellationToken).ConfigureAwait(false);
            return DoctorFinding.Pass(Code, $"{discovery} and its JWKS answer over HTTPS");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or UriFormatException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = exception is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : exception.Message;
            return DoctorFinding.Fail(Code, $"the issuer's discovery is not reachable ({discovery}: {reason}); Entra ID answers AADSTS90061", Fix);
        }
    }

    private static async Task<string> GetAsync(HttpClient http, Uri uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }
}
