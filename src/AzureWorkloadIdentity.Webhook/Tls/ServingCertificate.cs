using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Webhook.Tls;

/// <summary>
/// The serving certificate, read from <c>tls.crt</c>/<c>tls.key</c> in the cert dir and re-read when they change:
/// a file-system watcher reacts at once (including Kubernetes' <c>..data</c> symlink swap of secret volumes) and
/// a poll catches missed events. A broken new pair is logged and the previous certificate keeps serving, and so
/// does a new pair the <see cref="IServingCertificateGuard"/> (when given) holds back until it accepts it.
/// </summary>
public sealed class ServingCertificate : IDisposable
{
    public const string CertificateFile = "tls.crt";
    public const string KeyFile = "tls.key";

    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(100);

    private readonly string _directory;
    private readonly SslProtocols _protocols;
    private readonly ILogger _logger;
    private readonly IServingCertificateGuard? _guard;
    private readonly ITimer _pollTimer;
    private readonly ITimer _debounceTimer;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private byte[]? _loadedHash;
    private byte[]? _heldHash;
    private volatile Loaded? _current;

    /// <summary>Kept for callers written against the first signature; the clock argument is not used (see below).</summary>
    public ServingCertificate(string directory, SslProtocols protocols, TimeSpan pollInterval, TimeProvider timeProvider, ILogger<ServingCertificate> logger)
        : this(directory, protocols, pollInterval, logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
    }

    public ServingCertificate(string directory, SslProtocols protocols, TimeSpan pollInterval, ILogger<ServingCertificate> logger, IServingCertificateGuard? guard = null)
    {
        _directory = directory;
        _protocols = protocols;
        _logger = logger;
        _guard = guard;
        Reload();
        TryWatch();
        // Files change in real time, so the debounce and the poll use the real clock even when the application's
        // TimeProvider is a fake one that tests advance by months.
        _debounceTimer = TimeProvider.System.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pollTimer = TimeProvider.System.CreateTimer(_ => { TryWatch(); Reload(); }, null, pollInterval, pollInterval);
        if (guard is not null)
        {
            guard.Changed += Reload;
        }
    }

    /// <summary>Raised after a new certificate was loaded and is being served.</summary>
    public event Action? Changed;

    /// <summary>True once a certificate has been loaded.</summary>
    public bool IsLoaded => _current is not null;

    /// <summary>The certificate being served, or null.</summary>
    public X509Certificate2? Certificate => _current?.Certificate;

    /// <summary>TLS settings for the next handshake (certificate context built once per load), or null.</summary>
    public SslServerAuthenticationOptions? ServerOptions => _current?.Options;

    /// <summary>Re-reads the files; does nothing when their content is unchanged.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            byte[] certificatePem, keyPem;
            try
            {
                certificatePem = File.ReadAllBytes(Path.Combine(_directory, CertificateFile));
                keyPem = File.ReadAllBytes(Path.Combine(_directory, KeyFile));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                if (_current is null)
                {
                    TlsLog.NotYetAvailable(_logger, _directory, exception.Message);
                }

                return;
            }

            var hash = SHA256.HashData([.. certificatePem, .. keyPem]);
            if (_loadedHash is not null && hash.AsSpan().SequenceEqual(_loadedHash))
            {
                return;
            }

            try
            {
                var loaded = Load(certificatePem, keyPem);
                if (_current is not null && _guard is not null && !_guard.Accepts(loaded.Certificate, out var reason))
                {
                    // Not remembered as loaded: the next change event, poll or guard change looks at it again.
                    if (_heldHash is null || !hash.AsSpan().SequenceEqual(_heldHash))
                    {
                        _heldHash = hash;
                        TlsLog.HeldBack(_logger, _directory, loaded.Certificate.Thumbprint, reason);
                    }

                    return;
                }

                _current = loaded;
                _loadedHash = hash;
                _heldHash = null;
                TlsLog.Loaded(_logger, _directory, loaded.Certificate.Subject, loaded.Certificate.Thumbprint, loaded.Certificate.NotAfter);
            }
            catch (Exception exception) when (exception is CryptographicException or ArgumentException)
            {
                // Also a certificate and key from different pairs, e.g. read between the writes of the two files.
                _loadedHash = hash;
                TlsLog.Broken(_logger, _directory, exception.Message, _current is not null);
                return;
            }
        }

        Changed?.Invoke();
    }

    public void Dispose()
    {
        if (_guard is not null)
        {
            _guard.Changed -= Reload;
        }

        _pollTimer.Dispose();
        _debounceTimer.Dispose();
        _watcher?.Dispose();
    }

    private Loaded Load(byte[] certificatePem, byte[] keyPem)
    {
        var certificateText = System.Text.Encoding.ASCII.GetString(certificatePem);
        var keyText = System.Text.Encoding.ASCII.GetString(keyPem);
        using var fromPem = X509Certificate2.CreateFromPem(certificateText, keyText);

        // A PKCS#12 round trip gives the key a form SslStream accepts on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(certificateText);
        var intermediates = new X509Certificate2Collection();
        foreach (var extra in chain.Skip(1))
        {
            intermediates.Add(extra);
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
            EnabledSslProtocols = _protocols,
            ClientCertificateRequired = false,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
        return new Loaded(certificate, options);
    }

    private void TryWatch()
    {
        if (_watcher is not null || !Directory.Exists(_directory))
        {
            return;
        }

        try
        {
            var created = new FileSystemWatcher(_directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            created.Changed += OnChange;
            created.Created += OnChange;
            created.Deleted += OnChange;
            created.Renamed += OnChange;
            created.EnableRaisingEvents = true;
            _watcher = created;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or PlatformNotSupportedException)
        {
            TlsLog.WatchFailed(_logger, _directory, exception.Message);
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e) => _debounceTimer.Change(Debounce, Timeout.InfiniteTimeSpan);

    private sealed record Loaded(X509Certificate2 Certificate, SslServerAuthenticationOptions Options);
}
