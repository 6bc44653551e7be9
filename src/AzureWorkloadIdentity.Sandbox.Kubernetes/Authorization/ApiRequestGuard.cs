using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// The step every request passes before it is served, as in kube-apiserver's filter chain: authentication (401),
/// impersonation, then authorization of what the request asks (403). Creating it seeds the bootstrap RBAC policy.
/// </summary>
internal sealed class ApiRequestGuard
{
    private readonly RequestAuthenticator _authenticator;

    private ApiRequestGuard(RequestAuthenticator authenticator, RbacAuthorizer authorizer)
    {
        _authenticator = authenticator;
        Authorizer = authorizer;
    }

    public RbacAuthorizer Authorizer { get; }

    public static ApiRequestGuard Create(ObjectStore store, KubernetesApiServerOptions options)
    {
        var index = RbacIndex.Attach(store);
        BootstrapPolicy.Seed(store);
        var serviceAccounts = options.TokenSigner is { } signer
            ? new ServiceAccountTokenAuthenticator(store, signer, ApiAudiences.Of(options), options.TimeProvider)
            : null;
        return new ApiRequestGuard(new RequestAuthenticator(options.BearerToken, serviceAccounts, options.AnonymousAuth), new RbacAuthorizer(index));
    }

    /// <summary>The user the request runs as; throws the 401 or 403 Status otherwise.</summary>
    public async ValueTask<UserInfo> CheckAsync(HttpContext context)
    {
        var user = Impersonation.Apply(context.Request.Headers, await _authenticator.AuthenticateAsync(context.Request), Authorizer);
        if (user.IsMaster)
        {
            return user;
        }

        var request = AuthorizationAttributes.FromRequest(context.Request, user);
        var decision = Authorizer.Authorize(request);
        return decision.Allowed ? user : throw Forbidden.For(request, decision.Reason);
    }
}
