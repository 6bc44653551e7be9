using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 8: pod annotation <c>azure.workload.identity/inject-proxy-sidecar: "true"</c> adds the IMDS proxy's init
/// container and sidecar (each only when no container of that name exists). Refused for host-network pods, whose
/// iptables rules would capture the node's own metadata traffic. The sidecar is a native sidecar (an init container
/// with <c>restartPolicy: Always</c>, first among the init containers) when <see cref="MutationOptions.NativeSidecar"/>,
/// else the first regular container, so the application starts after the sidecar's postStart probe either way.
/// </summary>
public static class ProxySidecarRule
{
    /// <summary>
    /// Decides whether to inject: <paramref name="port"/> is the proxy port, or null when the pod does not ask
    /// for the proxy. False with <paramref name="reason"/> and <paramref name="error"/> when the request is refused.
    /// </summary>
    public static bool TryResolve(JsonElement pod, out int? port, out string? reason, out string? error)
    {
        port = null;
        reason = null;
        error = null;
        var annotations = PodJson.Annotations(pod);
        if (!PodJson.StringEquals(annotations, WorkloadIdentityAnnotations.InjectProxySidecar, "true"))
        {
            return true;
        }

        if (PodJson.IsTrue(PodJson.Object(pod, "spec"), "hostNetwork"))
        {
            reason = MutationReasons.ProxyOnHostNetwork;
            error = $"cannot inject the proxy sidecar into a pod with spec.hostNetwork: true (its iptables rules would redirect the node's own "
                + $"metadata traffic); remove the annotation '{WorkloadIdentityAnnotations.InjectProxySidecar}' or run the pod without host networking";
            return false;
        }

        var value = PodJson.String(annotations, WorkloadIdentityAnnotations.ProxySidecarPort);
        if (value is null)
        {
            port = WorkloadIdentityDefaults.ProxyPort;
            return true;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= 65535)
        {
            port = parsed;
            return true;
        }

        reason = MutationReasons.InvalidProxyPort;
        error = $"annotation '{WorkloadIdentityAnnotations.ProxySidecarPort}' on the pod has value \"{value}\"; expected an integer port between 1 and 65535";
        return false;
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
