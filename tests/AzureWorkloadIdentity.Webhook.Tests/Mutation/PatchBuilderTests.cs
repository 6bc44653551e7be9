using System.Buffers;
using System.Text;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

public sealed class PatchBuilderTests
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("""{"name":"é+<x>","n":[1,2]}""");

    public static TheoryData<string[]> PathSets() => new()
    {
        Array.Empty<string>(),
        new[] { "/spec/containers/0/env/-" },
        new[] { "/spec/initContainers", "/spec/containers/12/volumeMounts/-", "/spec/volumes" },
        new[] { "/metadata/annotations/a~1b_c.d" },
        new[] { "/spec/volumes", "/metadata/annotations/a+b" },
        new[] { "/metadata/annotations/caf\u00e9", "/spec/volumes/-" },
        new[] { "/metadata/annotations/q\"uote\\" },
    };

    [Theory]
    [MemberData(nameof(PathSets))]
    public void ToUtf8_AnyPaths_SameBytesAsWrite(string[] paths)
    {
        var operations = paths.Select(path => new PatchOperation(path, Value)).ToArray();
        var written = new ArrayBufferWriter<byte>();
        PatchBuilder.Write(operations, written);

        var bytes = PatchBuilder.ToUtf8(operations);

        Assert.Equal(Encoding.UTF8.GetString(written.WrittenSpan), Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Append_ExistingAndMissingArrays_AppendOrCreate()
    {
        var builder = new PatchBuilder();
        var env = ContainerList.Containers.Item(3).Env;

        builder.Append(env, true, Value);
        builder.Append(ArrayPath.Volumes, false, Value);
        builder.AppendAll(ContainerList.InitContainers.Item(20).VolumeMounts, true, [Value, Value]);
        builder.AppendAll(ContainerList.InitContainers.Path, false, [Value, Value]);

        Assert.Equal(
            ["/spec/containers/3/env/-", "/spec/volumes", "/spec/initContainers/20/volumeMounts/-", "/spec/initContainers/20/volumeMounts/-", "/spec/initContainers"],
            builder.Operations.Select(op => op.Path));
        Assert.Equal("[" + Encoding.UTF8.GetString(Value) + "]", Encoding.UTF8.GetString(builder.Operations[1].Value.Span));
        Assert.Equal("[" + Encoding.UTF8.GetString(Value) + "," + Encoding.UTF8.GetString(Value) + "]", Encoding.UTF8.GetString(builder.Operations[4].Value.Span));
    }
}
