using System.Text;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// Renders the part of <c>kubectl describe pod</c> the Quick Start shows: containers with their environment and
/// mounts, and the volumes, marking what the webhook added by comparing the pod as submitted with the pod as stored.
/// </summary>
internal static class PodDescriber
{
    private const string Injected = "(Injected by the webhook)";

    public static string Describe(V1Pod submitted, V1Pod stored)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(stored);
        var text = new StringBuilder();
        text.AppendLine($"Name:         {stored.Metadata.Name}");
        text.AppendLine($"Namespace:    {stored.Metadata.NamespaceProperty}");
        text.AppendLine($"Labels:       {Pairs(stored.Metadata.Labels)}");
        text.AppendLine($"Service Account: {stored.Spec.ServiceAccountName}");
        Containers(text, "Init Containers", submitted.Spec.InitContainers, stored.Spec.InitContainers);
        Containers(text, "Containers", submitted.Spec.Containers, stored.Spec.Containers);
        text.AppendLine("Volumes:");
        var before = (submitted.Spec.Volumes ?? []).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var volume in stored.Spec.Volumes ?? [])
        {
            text.AppendLine($"  {volume.Name}:{(before.Contains(volume.Name) ? string.Empty : " " + Injected)}");
            if (volume.Projected is { } projected)
            {
                text.AppendLine("    Type:                    Projected (a volume that contains injected data from multiple sources)");
                foreach (var source in projected.Sources ?? [])
                {
                    if (source.ServiceAccountToken is { } token)
                    {
                        text.AppendLine($"    TokenExpirationSeconds:  {token.ExpirationSeconds}");
                        text.AppendLine($"    Audience:                {token.Audience}");
                    }
                }
            }
        }

        return text.ToString();
    }

    private static void Containers(StringBuilder text, string heading, IList<V1Container>? submitted, IList<V1Container>? stored)
    {
        if (stored is null || stored.Count == 0)
        {
            return;
        }

        text.AppendLine($"{heading}:");
        foreach (var container in stored)
        {
            var original = submitted?.FirstOrDefault(c => c.Name == container.Name);
            text.AppendLine($"  {container.Name}:{(original is null ? " " + Injected : string.Empty)}");
            text.AppendLine($"    Image:          {container.Image}");
            text.AppendLine("    Environment:");
            var env = container.Env ?? [];
            var width = env.Count == 0 ? 0 : env.Max(e => e.Name.Length) + 1;
            foreach (var entry in env)
            {
                var wasThere = original?.Env?.Any(e => e.Name == entry.Name) ?? false;
                var value = wasThere ? entry.Value ?? "(from valueFrom)" : Injected;
                text.AppendLine($"      {(entry.Name + ":").PadRight(width)} {value}");
            }

            text.AppendLine("    Mounts:");
            foreach (var mount in container.VolumeMounts ?? [])
            {
                var wasThere = original?.VolumeMounts?.Any(m => m.Name == mount.Name) ?? false;
                var readOnly = mount.ReadOnlyProperty == true ? " (ro)" : string.Empty;
                text.AppendLine($"      {mount.MountPath} from {mount.Name}{readOnly}{(wasThere ? string.Empty : " " + Injected)}");
            }
        }
    }

    private static string Pairs(IDictionary<string, string>? map) =>
        map is null || map.Count == 0 ? "<none>" : string.Join(", ", map.Select(p => $"{p.Key}={p.Value}"));
}
