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
    // The Key Vault SDK caches each vault's challenge (its tenant) process-wide by authority, host and port. A vault of
    // a later sandbox in the same process on a port an earlier vault had would be sent the earlier sandbox's tenant,
    // so a vault never takes a port that a vault of this process had before.
    private static readonly HashSet<int> PortsTaken = [];
    private static readonly Lock PortsGate = new();

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
                server = await StartOnNewPortAsync(vaultName, cancellationToken);
                _servers[vaultName] = server;
            }

            return server.BaseUri;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<LoopbackHttpsServer> StartOnNewPortAsync(string vaultName, CancellationToken cancellationToken)
    {
        List<LoopbackHttpsServer> reused = [];
        try
        {
            while (true)
            {
                var server = await LoopbackHttpsServer.StartAsync(
                    tls,
                    app => new SecretsApi(vaultName, directory, tokens, authorityHost()).Map(app),
                    cancellationToken: cancellationToken);
                lock (PortsGate)
                {
                    if (PortsTaken.Add(server.BaseUri.Port))
                    {
                        return server;
                    }
                }

                // Held until a fresh port is found, so the system does not hand the same one out again.
                reused.Add(server);
            }
        }
        finally
        {
            foreach (var server in reused)
            {
                await server.DisposeAsync();
            }
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
