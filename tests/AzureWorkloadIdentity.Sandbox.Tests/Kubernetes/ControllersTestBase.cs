using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;
using k8s;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>A fresh API server with the sandbox's controllers running, and a client of it, for each test.</summary>
public abstract class ControllersTestBase : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;
    private WorkloadControllers _controllers = null!;

    protected IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        _controllers = WorkloadControllers.Start(_server);
        Client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _controllers.DisposeAsync();
        await _server.DisposeAsync();
    }
}
