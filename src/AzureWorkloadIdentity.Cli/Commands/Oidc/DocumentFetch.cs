using System.Net;
using System.Security.Authentication;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// One GET of an issuer document as Entra ID makes it: no redirects followed, a 200 with a body or a failure that
/// says why in words a user can act on.
/// </summary>
internal sealed record DocumentFetch(string? Body, bool Answered, bool TlsFailed, string? Failure)
{
    /// <param name="overall">The verification's overall bound; its expiry is reported as "no answer within".</param>
    public static async Task<DocumentFetch> GetAsync(HttpClient http, Uri uri, TimeSpan bound, CancellationToken overall)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, overall).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var location = response.Headers.Location?.ToString() ?? "(no Location)";
                return new(null, true, false, $"{uri} answered {status} {response.ReasonPhrase} to {location}; Entra ID does not follow redirects: serve the document at exactly this URL");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                var hint = response.StatusCode is HttpStatusCode.NotFound
                    ? "upload the document to exactly this path"
                    : response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                        ? "make it publicly readable (a storage container needs --public-access blob or container)"
                        : "fix the server";
                return new(null, true, false, $"{uri} answered {status} {response.ReasonPhrase}; {hint}");
            }

            return new(await response.Content.ReadAsStringAsync(overall).ConfigureAwait(false), true, false, null);
        }
        catch (OperationCanceledException) when (overall.IsCancellationRequested)
        {
            return new(null, false, false, $"no answer from {uri} within {bound.TotalSeconds:0} s; Entra ID gives up too (AADSTS90061): check that the host is public and serving");
        }
        catch (HttpRequestException exception) when (IsTls(exception))
        {
            return new(null, false, true, $"the TLS certificate of {uri.Authority} is not trusted ({Innermost(exception)}); serve a certificate from a public CA (for local tests, add your CA to SSL_CERT_FILE)");
        }
        catch (HttpRequestException exception)
        {
            return new(null, false, false, $"{uri} is unreachable: {Innermost(exception)}; check the host name and that it is public");
        }
    }

    private static bool IsTls(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Innermost(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.ReplaceLineEndings(" ").Trim();
    }
}
