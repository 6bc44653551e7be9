using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.SelfManaged;

/// <summary>
/// The service-account signer of a self-managed API server, loaded from its key files: it signs with
/// <c>--service-account-signing-key-file</c> and publishes exactly the <c>--service-account-key-file</c> keys, as
/// kube-apiserver does. <see cref="Reload"/> stands in for editing the static pod manifest: the API server restarts
/// with new flags and keeps its objects.
/// </summary>
internal sealed class FileKeySigner : IServiceAccountTokenSigner, IDisposable
{
    private readonly List<Loaded> _retired = [];
    private Loaded _loaded;

    public FileKeySigner(ServiceAccountKeyFlags flags) => _loaded = Load(flags);

    public Uri Issuer => Volatile.Read(ref _loaded).Signer.Issuer;

    /// <summary>The key id new tokens are signed with.</summary>
    public string SigningKeyId => Volatile.Read(ref _loaded).Signer.CurrentKey.KeyId;

    public JsonObject GetJwks() => new()
    {
        ["keys"] = new JsonArray([.. Volatile.Read(ref _loaded).Keys.Select(k => (JsonNode)k.ToJwk())]),
    };

    public string Sign(ServiceAccountTokenClaims claims) => Volatile.Read(ref _loaded).Signer.Sign(claims);

    /// <summary>
    /// Restarts with new flags (e.g. a rotation step). The previous keys are released only with the signer:
    /// IdentityModel caches signature providers by key thumbprint, so the same key loaded again would otherwise get
    /// a provider over a disposed RSA object.
    /// </summary>
    public void Reload(ServiceAccountKeyFlags flags)
    {
        var previous = Interlocked.Exchange(ref _loaded, Load(flags));
        lock (_retired)
        {
            _retired.Add(previous);
        }
    }

    public void Dispose()
    {
        _loaded.Dispose();
        lock (_retired)
        {
            foreach (var loaded in _retired)
            {
                loaded.Dispose();
            }

            _retired.Clear();
        }
    }

    private static Loaded Load(ServiceAccountKeyFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        if (flags.KeyFiles.Count == 0)
        {
            throw new ArgumentException("--service-account-key-file is required when --service-account-signing-key-file is given; pass the public key (sa.pub)", nameof(flags));
        }

        var signing = Read(flags.SigningKeyFile, "--service-account-signing-key-file");
        if (!signing.HasPrivateKey)
        {
            signing.Dispose();
            throw new ArgumentException($"--service-account-signing-key-file: {flags.SigningKeyFile} holds no private key; pass the private key (sa.key)", nameof(flags));
        }

        return new Loaded(new ServiceAccountIssuer(flags.Issuer, signing), [.. flags.KeyFiles.Select(f => Read(f, "--service-account-key-file"))]);
    }

    private static SigningKey Read(string path, string flag)
    {
        try
        {
            return SigningKey.FromPem(File.ReadAllText(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ArgumentException($"{flag}: cannot read an RSA key from {path}: {exception.Message}", exception);
        }
    }

    private sealed record Loaded(ServiceAccountIssuer Signer, IReadOnlyList<SigningKey> Keys) : IDisposable
    {
        public void Dispose()
        {
            Signer.Dispose();
            foreach (var key in Keys)
            {
                key.Dispose();
            }
        }
    }
}
