using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;
using k8s;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

/// <summary>
/// What the kubelet tests that run pods as local <c>/bin/sh</c> processes share: the sandbox's API server with a
/// client, a container runner whose one image is the shell, a folder of their own, and what each test started, all
/// disposed in reverse order.
/// </summary>
public abstract class ShellPodTests : IAsyncLifetime
{
    protected const string Shell = "example.test/sh";

    private readonly List<IAsyncDisposable> _disposables = [];

    protected ShellPodTests(string folderPrefix) =>
        Root = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));

    protected string Root { get; }

    protected LocalContainerRunner Runner { get; } = new([new LocalImage(Shell, "/bin/sh", ["-c"])]);

    protected KubernetesApiServer Server { get; private set; } = null!;

    protected IKubernetes Client { get; private set; } = null!;

    /// <summary>Disposed after the test, before the API server, latest first.</summary>
    protected void DisposeAfterwards(IAsyncDisposable disposable) => _disposables.Add(disposable);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Root);
        Server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() });
        Client = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Root, recursive: true);
    }
}
