using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The controllers between a workload and its pods, as kube-controller-manager runs them, each talking to the API
/// server like any client with a client of its own: <see cref="DeploymentController"/>,
/// <see cref="ReplicaSetController"/> and <see cref="JobController"/>. Deleting an owner deletes what it owns through
/// the API server's own garbage collection.
/// </summary>
public sealed class WorkloadControllers : IAsyncDisposable
{
    private readonly Controller[] _controllers;

    private WorkloadControllers(Controller[] controllers) => _controllers = controllers;

    /// <summary>Starts the controllers; disposing stops them.</summary>
    public static WorkloadControllers Start(KubernetesApiServer server, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        logger ??= NullLogger.Instance;
        return new WorkloadControllers(
        [
            new DeploymentController(server.CreateClient(), logger),
            new ReplicaSetController(server.CreateClient(), logger),
            new JobController(server.CreateClient(), logger),
        ]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var controller in _controllers)
        {
            await controller.DisposeAsync();
        }
    }
}
