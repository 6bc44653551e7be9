using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>Settings of <see cref="KubernetesApiServer"/>. Everything is optional.</summary>
public sealed class KubernetesApiServerOptions
{
    /// <summary>Certificate to serve; a new sandbox CA is made (and disposed with the server) when null.</summary>
    public SandboxTls? Tls { get; set; }

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Changes kept for watches to resume from; older versions get 410 Gone.</summary>
    public int WatchHistoryLimit { get; set; } = 1000;

    /// <summary>Events buffered per watch before a slow watcher is disconnected.</summary>
    public int WatchBuffer { get; set; } = 10_000;

    /// <summary>
    /// Whether creating in a namespace that does not exist is refused (404 <c>namespaces "x" not found</c>), as
    /// kube-apiserver does; by default the sandbox creates the namespace (and its <c>default</c> account) instead.
    /// </summary>
    public bool RequireNamespaces { get; set; }

    /// <summary>
    /// The admin's bearer token, written into kubeconfigs: a request with it is user <c>kubernetes-admin</c> in
    /// <c>system:masters</c> (allowed everything). Other requests need a service-account token (with a
    /// <see cref="TokenSigner"/>), else they get 401.
    /// </summary>
    public string BearerToken { get; set; } = "sandbox-cluster-admin";

    /// <summary>
    /// Serve requests without a token as <c>system:anonymous</c> (group <c>system:unauthenticated</c>), left to RBAC,
    /// as kube-apiserver's <c>--anonymous-auth=true</c>; off by default, so such a request is a 401.
    /// </summary>
    public bool AnonymousAuth { get; set; }

    /// <summary>
    /// The audiences a service-account token must have to authenticate here (<c>--api-audiences</c>) and a
    /// TokenRequest without audiences gets; empty means the signer's issuer (without a trailing slash).
    /// </summary>
    public IList<string> ApiAudiences { get; } = [];

    /// <summary>Signs TokenRequests and feeds issuer discovery; those endpoints answer 404 without one.</summary>
    public IServiceAccountTokenSigner? TokenSigner { get; set; }

    /// <summary>Extra admission steps after the built-in ServiceAccount step (e.g. mutating webhooks).</summary>
    public IList<IAdmissionPlugin> Admission { get; } = [];

    /// <summary>Runs before each request is served (tests use it to delay or hold requests).</summary>
    public Func<HttpContext, Task>? OnRequest { get; set; }

    /// <summary>
    /// The Kubernetes version <c>/version</c> reports (major.minor). Native sidecars (init containers with
    /// <c>restartPolicy: Always</c>) are honoured by the local kubelet from 1.29, as SidecarContainers is on by default there.
    /// </summary>
    public Version KubernetesVersion { get; set; } = new(1, 33);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The kubelet that serves <c>pods/log</c>, <c>pods/exec</c> and <c>pods/portforward</c> for the pods it runs
    /// (read at each request, so it may be connected after the server has started); those answer 503 without one.
    /// </summary>
    public Streaming.IKubeletStreams? Kubelet { get; set; }
}
