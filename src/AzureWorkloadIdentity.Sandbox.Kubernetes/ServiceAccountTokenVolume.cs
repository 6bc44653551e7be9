using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The volume ServiceAccount admission adds to a pod, as kube-apiserver does (BoundServiceAccountTokenVolume): a
/// projected <c>kube-api-access-&lt;5 chars&gt;</c> with the service-account token (the API server's audience, 3607 s,
/// bound to the pod), <c>ca.crt</c> from <c>kube-root-ca.crt</c> and the <c>namespace</c> from the downward API,
/// mounted read-only at <see cref="MountPath"/> in every container and init container that has nothing there —
/// unless the pod, or else its service account, says <c>automountServiceAccountToken: false</c>.
/// </summary>
internal static class ServiceAccountTokenVolume
{
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>kube-apiserver's value: 3600 s plus 7 s, so the kubelet's requests stand out in audit logs.</summary>
    public const int ExpirationSeconds = 3607;

    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static void Add(JsonObject spec, JsonObject serviceAccount)
    {
        var automount = spec["automountServiceAccountToken"]?.GetValue<bool>()
            ?? serviceAccount["automountServiceAccountToken"]?.GetValue<bool>()
            ?? true;
        var containers = new[] { spec["initContainers"], spec["containers"] }.OfType<JsonArray>().SelectMany(a => a.OfType<JsonObject>()).ToList();
        var needing = containers.Where(c => !(c["volumeMounts"] as JsonArray ?? []).Any(m => m?["mountPath"]?.GetValue<string>()?.TrimEnd('/') == MountPath)).ToList();
        if (!automount || needing.Count == 0)
        {
            return;
        }

        var name = "kube-api-access-" + RandomNumberGenerator.GetString(NameAlphabet, 5);
        if (spec["volumes"] is not JsonArray volumes)
        {
            spec["volumes"] = volumes = [];
        }

        volumes.Add(Volume(name));
        foreach (var container in needing)
        {
            if (container["volumeMounts"] is not JsonArray mounts)
            {
                container["volumeMounts"] = mounts = [];
            }

            mounts.Add(new JsonObject { ["name"] = name, ["readOnly"] = true, ["mountPath"] = MountPath });
        }
    }

    private static JsonObject Volume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["defaultMode"] = 420,
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = ExpirationSeconds, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = ClusterServices.RootCaConfigMap,
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "namespace",
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                        }),
                    },
                }),
        },
    };
}
