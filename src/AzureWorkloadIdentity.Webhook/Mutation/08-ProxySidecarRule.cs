using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 8: pod annotation <c>azure.workload.identity/inject-proxy-sidecar: "true"</c> adds the IMDS proxy's init
/// container and sidecar (each only when no container of that name exists). Refused for host-network pods, whose
/// iptables rules would capture the node's own metadata traffic. The sidecar is a native sidecar (an init container
/// with <c>restartPolicy: Always</c>, first among the init containers) when <see cref="MutationOptions.NativeSidecar"/>,
/// else the first regular container, so the application starts after the sidecar's postStart probe either way.
/// </summary>
internal static class ProxySidecarRule
{
    /// <summary>
    /// The proxy port, or null when the pod does not ask for the proxy; a denial when the request cannot be honoured.
    /// </summary>
    public static RuleResult<int?> Resolve(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var annotations = pod.Metadata.Annotations;
        if (annotations.InjectProxySidecar != "true")
        {
            return (int?)null;
        }

        if (pod.Spec.HostNetwork)
        {
            return new Denial(DenialReasons.ProxyOnHostNetwork,
                $"cannot inject the proxy sidecar into a pod with spec.hostNetwork: true (its iptables rules would redirect the node's own "
                + $"metadata traffic); remove the annotation '{WorkloadIdentityAnnotations.InjectProxySidecar}' or run the pod without host networking");
        }

        var value = annotations.ProxySidecarPort;
        if (value is null)
        {
            return WorkloadIdentityDefaults.ProxyPort;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        return new Denial(DenialReasons.InvalidProxyPort,
            $"annotation '{WorkloadIdentityAnnotations.ProxySidecarPort}' on the pod has value \"{value}\"; expected an integer port between 1 and 65535");
    }

    /// <summary>The <c>azwi-proxy-init</c> init container that installs the iptables redirect.</summary>
    public static JsonObject CreateInitContainer(MutationOptions options, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["name"] = WorkloadIdentityDefaults.ProxyInitContainerName,
            ["image"] = options.InitImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["securityContext"] = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["add"] = new JsonArray("NET_ADMIN"),
                    ["drop"] = new JsonArray("ALL"),
                },
                ["privileged"] = true,
                ["runAsNonRoot"] = false,
                ["runAsUser"] = 0,
            },
            ["env"] = new JsonArray(new JsonObject
            {
                ["name"] = WorkloadIdentityEnvironment.ProxyPort,
                ["value"] = port.ToString(CultureInfo.InvariantCulture),
            }),
        };
    }

    /// <summary>
    /// The <c>azwi-proxy</c> sidecar; it runs as the UID the iptables rules exempt and logs at the webhook's level.
    /// As a native sidecar it carries <c>restartPolicy: Always</c>: the kubelet keeps it running beside the
    /// application and stops it once the regular containers have ended, so Jobs complete.
    /// </summary>
    public static JsonObject CreateSidecar(MutationOptions options, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        var portArgument = "--proxy-port=" + port.ToString(CultureInfo.InvariantCulture);
        var logLevelArgument = "--log-level=" + options.LogLevel;
        var sidecar = new JsonObject
        {
            ["name"] = WorkloadIdentityDefaults.ProxyContainerName,
            ["image"] = options.SidecarImage,
            ["imagePullPolicy"] = "IfNotPresent",
            ["args"] = new JsonArray(portArgument, logLevelArgument),
            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = port }),
            ["lifecycle"] = new JsonObject
            {
                ["postStart"] = new JsonObject
                {
                    ["exec"] = new JsonObject { ["command"] = new JsonArray("/proxy", portArgument, "--probe", logLevelArgument) },
                },
            },
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["privileged"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsNonRoot"] = true,
                ["runAsUser"] = WorkloadIdentityDefaults.ProxyUid,
            },
        };
        if (options.NativeSidecar)
        {
            sidecar["restartPolicy"] = "Always";
        }

        return sidecar;
    }
}
