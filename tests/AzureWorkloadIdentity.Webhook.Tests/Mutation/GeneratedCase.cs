using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>A pod and service account built from a list of choices, so FsCheck can shrink the choices.</summary>
public sealed class GeneratedCase
{
    private static readonly string[] ContainerNames = ["app", "side", "azwi-proxy", "azwi-proxy-init", "a/b~c"];
    private static readonly string[] EnvNames = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "OTHER", "AZURE_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE"];
    private static readonly string?[] LabelValues = [null, "true", "false"];
    private static readonly string?[] Expirations = [null, "", "3600", "7200", "86400", "bad"];

    public GeneratedCase(int[] choices)
    {
        Choices = choices;
        var next = new Chooser(choices);
        Pod = BuildPod(next);
        var labels = new Dictionary<string, string>();
        var annotations = new Dictionary<string, string>();
        if (next.Pick(LabelValues) is { } use)
        {
            labels["azure.workload.identity/use"] = use;
        }

        if (next.Bool())
        {
            annotations["azure.workload.identity/client-id"] = "client-" + next.Int(3);
        }

        if (next.Pick(Expirations) is { } expiration)
        {
            annotations["azure.workload.identity/service-account-token-expiration"] = expiration;
        }

        ServiceAccount = new ServiceAccountIdentity("apps", "sa", labels, annotations);
    }

    public int[] Choices { get; }

    public JsonObject Pod { get; }

    public ServiceAccountIdentity ServiceAccount { get; }

    public override string ToString() => Pod.ToJsonString() + " SA " + string.Join(",", ServiceAccount.Labels.Concat(ServiceAccount.Annotations));

    private static JsonObject BuildPod(Chooser next)
    {
        var metadata = new JsonObject { ["name"] = "p", ["x-unknown-" + next.Int(3)] = new JsonObject { ["kept"] = next.Int(100) } };
        if (next.Pick(LabelValues) is { } use)
        {
            metadata["labels"] = new JsonObject { ["azure.workload.identity/use"] = use };
        }

        var annotations = new JsonObject();
        if (next.Pick(LabelValues) is { } proxy)
        {
            annotations["azure.workload.identity/inject-proxy-sidecar"] = proxy;
        }

        if (next.Bool())
        {
            annotations["azure.workload.identity/skip-containers"] = string.Join(" ; ", ContainerNames.Where(_ => next.Bool()));
        }

        if (next.Pick(Expirations) is { } expiration)
        {
            annotations["azure.workload.identity/service-account-token-expiration"] = expiration;
        }

        if (next.Bool())
        {
            annotations["azure.workload.identity/proxy-sidecar-port"] = next.Pick(["8000", "9000", "0", "x"]);
        }

        metadata["annotations"] = annotations;
        var spec = new JsonObject { ["x-future"] = new JsonArray(1, "two", null), ["hostNetwork"] = next.Int(10) == 0 };
        if (next.Bool())
        {
            spec["initContainers"] = Containers(next);
        }

        spec["containers"] = Containers(next);
        switch (next.Int(5))
        {
            case 0:
                spec["volumes"] = new JsonArray();
                break;
            case 1:
                spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() });
                break;
            case 2:
                spec["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "azure-identity-token",
                    ["projected"] = new JsonObject { ["sources"] = new JsonArray(new JsonObject { ["serviceAccountToken"] = new JsonObject { ["path"] = "azure-identity-token" } }) },
                });
                break;
            default:
                break;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec, ["status"] = new JsonObject { ["x"] = 1 } };
    }

    private static JsonArray Containers(Chooser next)
    {
        var containers = new JsonArray();
        var count = next.Int(4);
        for (var i = 0; i < count; i++)
        {
            var container = new JsonObject { ["name"] = next.Pick(ContainerNames), ["x-unknown"] = new JsonObject { ["n"] = i } };
            if (next.Bool())
            {
                container["env"] = new JsonArray(EnvNames.Where(_ => next.Bool()).Select(n => (JsonNode)new JsonObject { ["name"] = n, ["value"] = "mine" }).ToArray());
            }

            if (next.Bool())
            {
                container["volumeMounts"] = new JsonArray(
                    new[] { "azure-identity-token", "data" }.Where(_ => next.Bool()).Select(n => (JsonNode)new JsonObject { ["name"] = n, ["mountPath"] = "/m/" + n }).ToArray());
            }

            containers.Add(container);
        }

        return containers;
    }

    private sealed class Chooser(int[] choices)
    {
        private int _position;

        public int Int(int bound) => bound <= 1 ? 0 : choices[_position++ % choices.Length] % bound;

        public bool Bool() => Int(2) == 1;

        public T Pick<T>(T[] values) => values[Int(values.Length)];
    }
}
