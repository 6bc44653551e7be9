using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Streaming;

/// <summary>A command started by a container runner for <c>kubectl exec</c>; disposing it kills what still runs.</summary>
internal sealed class ContainerExec : IContainerExec
{
    private readonly Process _process;

    public ContainerExec(Process process, bool stdin)
    {
        _process = process;
        if (stdin)
        {
            StandardInput = process.StandardInput.BaseStream;
        }
        else
        {
            // No input is coming: the command sees the end of its input at once, as with kubectl exec without -i.
            process.StandardInput.Close();
        }
    }

    public Stream? StandardInput { get; }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public Stream StandardError => _process.StandardError.BaseStream;

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
