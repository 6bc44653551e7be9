using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Authorization;

/// <summary>
/// An API server with a real service-account issuer and a clock the test moves; sets up accounts, roles and bindings
/// straight in the store (as an admin would) and hands out clients that authenticate with a TokenRequest-issued token.
/// </summary>
internal sealed class RbacWorld : IAsyncDisposable
{
    public const string RbacGroup = "rbac.authorization.k8s.io";

    private readonly SigningKey _key;
    private readonly ServiceAccountIssuer _issuer;

    private RbacWorld(KubernetesApiServer server, SigningKey key, ServiceAccountIssuer issuer, FakeTimeProvider time)
    {
        Server = server;
        _key = key;
        _issuer = issuer;
        Time = time;
        Admin = server.CreateClient();
    }

    public KubernetesApiServer Server { get; }

    public FakeTimeProvider Time { get; }

    public IKubernetes Admin { get; }

    public ObjectStore Store => Server.Store;

    public static async Task<RbacWorld> StartAsync(bool anonymous = false)
    {
        var key = SigningKey.Generate();
        var issuer = new ServiceAccountIssuer("https://issuer.rbac.test/", key);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new KubernetesApiServerOptions { TokenSigner = issuer, TimeProvider = time, AnonymousAuth = anonymous };
        return new RbacWorld(await KubernetesApiServer.StartAsync(options), key, issuer, time);
    }

    /// <summary>Creates the account (unless it exists) and returns a token the TokenRequest API issued for it.</summary>
    public async Task<string> TokenAsync(string ns, string account, string? audience = null, string? boundPod = null)
    {
        if (!Store.TryGet(ResourceCatalog.ServiceAccounts, ns, account, out _))
        {
            Store.Create(ResourceCatalog.ServiceAccounts, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = account } });
        }

        var spec = new V1TokenRequestSpec { Audiences = audience is null ? null : [audience] };
        if (boundPod is not null)
        {
            spec.BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = boundPod };
        }

        var answer = await Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = spec }, account, ns);
        return answer.Status.Token;
    }

    public IKubernetes ClientWith(string token)
    {
        var configuration = Server.CreateClientConfiguration();
        configuration.AccessToken = token;
        return new k8s.Kubernetes(configuration);
    }

    public HttpClient HttpWith(string? token)
    {
        var http = new HttpClient(Server.CreateTrustingHandler()) { BaseAddress = Server.BaseUri };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>A Role (namespace given) or ClusterRole with one rule.</summary>
    public void Role(string? ns, string name, string[] verbs, string[] groups, string[] resources, string[]? names = null)
    {
        var rule = new JsonObject
        {
            ["verbs"] = Array(verbs),
            ["apiGroups"] = Array(groups),
            ["resources"] = Array(resources),
        };
        if (names is not null)
        {
            rule["resourceNames"] = Array(names);
        }

        Store.Create(Type(ns is null ? "clusterroles" : "roles", ns is not null), ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["rules"] = new JsonArray(rule),
        });
    }

    /// <summary>A RoleBinding (namespace given) or ClusterRoleBinding of the role to one service account.</summary>
    public void Bind(string? ns, string name, string roleKind, string role, string accountNamespace, string account) =>
        Store.Create(Type(ns is null ? "clusterrolebindings" : "rolebindings", ns is not null), ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["roleRef"] = new JsonObject { ["apiGroup"] = RbacGroup, ["kind"] = roleKind, ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = account, ["namespace"] = accountNamespace }),
        });

    public static ResourceType Type(string plural, bool namespaced) =>
        new(RbacGroup, "v1", plural, plural switch
        {
            "roles" => "Role",
            "rolebindings" => "RoleBinding",
            "clusterroles" => "ClusterRole",
            _ => "ClusterRoleBinding",
        }, namespaced);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        _issuer.Dispose();
        _key.Dispose();
    }

    private static JsonArray Array(string[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
