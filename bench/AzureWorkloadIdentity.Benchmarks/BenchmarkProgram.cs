using AzureWorkloadIdentity.Benchmarks.Load;
using BenchmarkDotNet.Running;

namespace AzureWorkloadIdentity.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>
    /// <c>serve-sandbox</c> runs the API server bench/load/webhook-load.sh measures the webhook against (the webhook side is bench/AzureWorkloadIdentity.LoadServer), <c>serve-entra</c>
    /// the sandbox bench/load/proxy-load.sh runs the proxy against; <c>cpu-split</c> the admission's steps in CPU time (<see cref="CpuSplit"/>);
    /// <c>alloc-types</c> the bytes an admission allocates, by type (<see cref="AllocTypes"/>);
    /// <c>serve-scale</c> the 100,000-account and pod-burst runs of bench/load/webhook-scale.sh (<see cref="Scale.ScaleServer"/>);
    /// <c>api-loop</c> times the sandbox API's create and list;
    /// anything else goes to BenchmarkDotNet.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "serve-sandbox":
                return await SandboxServer.RunAsync(args[1..]);
            case "serve-scale":
                return await Scale.ScaleServer.RunAsync(args[1..]);
            case "serve-entra":
                return await EntraServer.RunAsync(args[1..]);
            case "api-loop":
                return await ApiRequestLoop.RunAsync(args[1..]);
            case "alloc-types":
                return await AllocTypes.RunAsync(args[1..]);
            case "cpu-split":
                return await CpuSplit.RunAsync(args[1..]);
            case "write-review":
                await File.WriteAllBytesAsync(args[1], TypicalPod.ReviewUtf8(args[2], args[3]));
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
                return 0;
        }
    }
}
