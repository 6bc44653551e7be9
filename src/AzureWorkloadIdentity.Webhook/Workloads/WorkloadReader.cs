using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Workloads;

/// <summary>Reads a <see cref="WorkloadView"/>: the workload's kind and metadata, and its pod templates as pods.</summary>
internal static class WorkloadReader
{
    public static WorkloadView Read(ref Utf8JsonReader reader)
    {
        var workload = new WorkloadView { Shape = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return workload;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                workload.Kind = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                workload.Metadata = PodMetadataReader.Read(ref reader);
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                ReadSpec(ref reader, workload);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return workload;
    }

    private static void ReadSpec(ref Utf8JsonReader reader, WorkloadView workload)
    {
        workload.Template = workload.JobTemplate = null;
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("template"u8))
            {
                reader.Read();
                workload.Template = PodReader.Read(ref reader);
            }
            else if (reader.ValueTextEquals("jobTemplate"u8))
            {
                reader.Read();
                workload.JobTemplate = ReadJobTemplate(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    /// <summary>A CronJob's <c>jobTemplate</c>: the template at its <c>spec.template</c>.</summary>
    private static Mutation.Pods.PodView? ReadJobTemplate(ref Utf8JsonReader reader)
    {
        var job = new WorkloadView();
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                ReadSpec(ref reader, job);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return job.Template;
    }
}
