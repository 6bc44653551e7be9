using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Vaults;

/// <summary>
/// The Key Vault data plane: every vault gets its own loopback origin (<c>https://127.0.0.1:PORT/</c>), started when
/// its URI is first asked for, because the SDK parses secret ids as <c>https://host/secrets/name/version</c> and
/// loopback has no per-vault host names. Clients must set <c>DisableChallengeResourceVerification</c> (the vault is not
/// under <c>vault.azure.net</c>); see docs/sandbox.md.
/// </summary>
public sealed class KeyVaultService(SandboxDirectory directory, IAccessTokenValidator tokens, SandboxTls tls, Func<Uri> authorityHost) : IAsyncDisposable
{
    private readonly Dictionary<string, LoopbackHttpsServer> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The vault's URI, starting its server on first use. Synchronous because Resource Manager asks for it inside a request.</summary>
    public Uri UriFor(string vaultName) => UriForAsync(vaultName, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<Uri> UriForAsync(string vaultName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vaultName);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_servers.TryGetValue(vaultName, out var server))
            {
                server = await LoopbackHttpsServer.StartAsync(
                    tls,
                    app => new SecretsApi(vaultName, directory, tokens, authorityHost()).Map(app),
                    cancellationToken: cancellationToken);
                _servers[vaultName] = server;
            }

            return server.BaseUri;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The loopback ports of the vaults started so far (a pod's network relays them).</summary>
    public IReadOnlyList<int> Ports
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. _servers.Values.Select(s => s.BaseUri.Port)];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
