using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// A token for the target's service account from the TokenRequest API, with the audience and lifetime of the pod's
/// projected token volume (the webhook's defaults without a pod): its <c>iss</c>, <c>sub</c> and <c>aud</c> are what
/// Entra ID will compare with the federated credential.
/// </summary>
internal sealed record ServiceAccountToken(string? Token, string Audience, long ExpirationSeconds, string? Issuer, string? Subject, string? Error)
{
    public static async Task<ServiceAccountToken> RequestAsync(IKubernetes client, DoctorTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        var projection = TokenProjection(target.TemplateSpec);
        var audience = projection?.Audience is { Length: > 0 } a ? a : WorkloadIdentityDefaults.Audience;
        var expiration = projection?.ExpirationSeconds ?? WorkloadIdentityDefaults.TokenExpirationSeconds;
        try
        {
            var request = new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec { Audiences = [audience], ExpirationSeconds = expiration },
            };
            var answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
                request, target.ServiceAccountName, target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            var token = answer.Status?.Token ?? throw new InvalidOperationException("the TokenRequest answer has no token");
            var jwt = new JsonWebToken(token);
            return new(token, audience, expiration, jwt.Issuer, jwt.Subject, null);
        }
        catch (Exception exception) when (exception is HttpOperationException or HttpRequestException or InvalidOperationException or ArgumentException)
        {
            var reason = exception is HttpOperationException http ? $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}" : exception.Message;
            return new(null, audience, expiration, null, null, $"TokenRequest for {target.Namespace}/{target.ServiceAccountName} failed: {reason}");
        }
    }

    /// <summary>The serviceAccountToken source of the webhook's token volume, if the pod has it.</summary>
    public static V1ServiceAccountTokenProjection? TokenProjection(V1PodSpec? spec) =>
        spec?.Volumes?.FirstOrDefault(v => v.Name == WorkloadIdentityDefaults.TokenVolumeName)?.Projected?.Sources?
            .Select(s => s.ServiceAccountToken).FirstOrDefault(s => s is not null);
}
