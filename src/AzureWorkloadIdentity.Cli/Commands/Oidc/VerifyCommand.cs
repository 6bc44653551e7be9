using System.CommandLine;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using k8s;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// <c>azwi oidc verify --issuer-url u [--public-keys f…] [--kubeconfig k] [--output text|json]</c>: checks an issuer
/// as Entra ID will use it, one line per check; exit 0 only when every check passes.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>The whole verification's bound: an unreachable or silent server fails within it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static Command Create(CliServices services, Option<bool> debug)
    {
        ArgumentNullException.ThrowIfNull(services);
        var issuerUrl = OidcOptions.IssuerUrl();
        var publicKeys = OidcOptions.PublicKeys("Public keys whose kid must be published in the issuer's JWKS");
        var kubeconfig = new Option<string>("--kubeconfig")
        {
            Description = "Kubeconfig of the cluster: its /openid/v1/jwks keys must be published and a token it mints must verify",
        };
        var accountNamespace = new Option<string>("--service-account-namespace")
        {
            Description = "Namespace of the service account a test token is requested for (with --kubeconfig)",
            DefaultValueFactory = _ => "default",
        };
        var accountName = new Option<string>("--service-account-name")
        {
            Description = "Service account a test token is requested for (with --kubeconfig)",
            DefaultValueFactory = _ => "default",
        };
        var output = OidcOptions.Output();
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Bound on the whole verification (an unreachable or silent server fails within it)",
            DefaultValueFactory = _ => DefaultTimeout,
        };
        var command = new Command("verify", "Check a service account issuer as Entra ID will use it: HTTPS, discovery document, issuer, JWKS and keys")
        {
            issuerUrl,
            publicKeys,
            kubeconfig,
            accountNamespace,
            accountName,
            output,
            timeout,
        };
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            var issuer = parseResult.GetValue(issuerUrl)
                ?? throw new CliUsageException("--issuer-url is required: pass the cluster's service account issuer URL, e.g. https://<account>.blob.core.windows.net/<container>/");
            var json = OidcOptions.IsJson(parseResult.GetValue(output));
            var bound = parseResult.GetValue(timeout);
            if (bound <= TimeSpan.Zero)
            {
                throw new CliUsageException($"--timeout: {bound} is not positive; pass e.g. --timeout 00:00:15");
            }

            var expected = ExpectedKeys(PublicKeyFileReader.Files(parseResult.GetValue(publicKeys)));
            using var overall = new CancellationTokenSource(bound, services.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(overall.Token, cancellationToken);
            ClusterIssuerFacts? cluster = null;
            if (parseResult.GetValue(kubeconfig) is { Length: > 0 } path)
            {
                using var client = ClusterIssuerProbe.Connect(path);
                cluster = await ReadClusterAsync(client, parseResult.GetValue(accountNamespace)!, parseResult.GetValue(accountName)!, bound, linked.Token).ConfigureAwait(false);
            }

            using var http = new HttpClient(CreateHandler(services), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            var checks = await new IssuerVerifier(http, bound).VerifyAsync(issuer, expected, cluster, linked.Token).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var report = json
                ? VerificationReportWriter.Json(issuer, checks)
                : VerificationReportWriter.Text(issuer, checks);
            await services.Console.Out.WriteAsync(report).ConfigureAwait(false);
            return VerificationReportWriter.Passed(checks) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<ClusterIssuerFacts> ReadClusterAsync(
        IKubernetes client, string accountNamespace, string accountName, TimeSpan bound, CancellationToken overall)
    {
        try
        {
            return await ClusterIssuerProbe.ReadAsync(client, accountNamespace, accountName, overall).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (overall.IsCancellationRequested)
        {
            return new ClusterIssuerFacts([], null, $"the cluster did not answer within {bound.TotalSeconds:0} s; check the kubeconfig's server");
        }
    }

    private static IReadOnlyList<ExpectedKey> ExpectedKeys(IReadOnlyList<string> files)
    {
        var expected = new List<ExpectedKey>();
        foreach (var file in files)
        {
            foreach (var key in PublicKeyFileReader.Read(file))
            {
                using (key)
                {
                    expected.Add(new ExpectedKey(JsonWebKeySetWriter.KeyId(key), file));
                }
            }
        }

        return expected;
    }

    /// <summary>
    /// The system's trust (so <c>SSL_CERT_FILE</c> works) unless a test supplies a handler; redirects are never
    /// followed because Entra ID does not follow them. <c>azwi doctor</c> fetches the issuer the same way.
    /// </summary>
    public static HttpMessageHandler CreateHandler(CliServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var handler = services.CreateHttpHandler?.Invoke() ?? new SocketsHttpHandler();
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }

        return handler;
    }
}
