using System.Security.Cryptography;
using System.Text;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

/// <summary>
/// Says who a request is from by its bearer token: the admin kubeconfig's token, or a service-account token. Anything
/// else is kube-apiserver's 401 (<c>Unauthorized</c>); a request without a token too, unless anonymous requests are
/// allowed (then it is <c>system:anonymous</c> and RBAC decides).
/// </summary>
internal sealed class RequestAuthenticator(string adminToken, ServiceAccountTokenAuthenticator? serviceAccounts, bool anonymous)
{
    private const string Bearer = "Bearer ";
    private readonly byte[] _adminToken = Encoding.UTF8.GetBytes(adminToken);

    public async ValueTask<UserInfo> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : string.Empty;
        if (header.Length == 0 || (token.Length == 0 && header.Trim().Equals(Bearer.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return anonymous ? UserInfo.Anonymous : throw Unauthorized();
        }

        if (token.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _adminToken))
        {
            return UserInfo.Admin;
        }

        if (token.Length > 0 && serviceAccounts is not null && await serviceAccounts.AuthenticateAsync(token) is { } user)
        {
            return user;
        }

        throw Unauthorized();
    }

    /// <summary>kube-apiserver's answer to a credential it does not accept: no hint which check failed.</summary>
    public static KubernetesApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
