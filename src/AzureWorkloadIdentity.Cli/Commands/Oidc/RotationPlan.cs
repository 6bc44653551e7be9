namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// The documentation's key rotation as a schedule: publish the new key next to the old ones, let the cluster verify
/// with both and sign with the new one, wait for the longest token lifetime (plus Entra ID's key cache), then retire
/// the old keys everywhere. No token is ever signed by a key the issuer does not publish, so no exchange fails.
/// </summary>
internal static class RotationPlan
{
    /// <summary>Where kubeadm (and kind) keep the service-account keys on control-plane nodes.</summary>
    public const string PkiDirectory = "/etc/kubernetes/pki";

    /// <summary>Margin for Entra ID's cache of the issuer's keys after the JWKS changes.</summary>
    public static readonly TimeSpan KeyCacheMargin = TimeSpan.FromHours(1);

    internal sealed record KeyFile(string Path, string KeyId);

    internal sealed record Storage(string Account, string Container);

    public static IReadOnlyList<RotationStep> Build(
        string issuer, IReadOnlyList<KeyFile> current, KeyFile next, string nextSigningKeyPath, TimeSpan maxTokenLifetime, Storage storage)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(storage);
        var both = current.Append(next).ToList();
        var bothIds = both.Select(k => k.KeyId).ToList();
        var wait = maxTokenLifetime + KeyCacheMargin;
        var node = (string path) => $"{PkiDirectory}/{System.IO.Path.GetFileName(path)}";
        return
        [
            new RotationStep(
                "Publish the new key next to the current ones",
                "Entra ID must know the new key before the cluster signs anything with it.",
                [Jwks(both), Upload(storage), Verify(issuer, both, kubeconfig: false)],
                bothIds, null, null, null),
            new RotationStep(
                "Let the API server verify with both keys and sign with the new one",
                "Copy the new key pair to every control-plane node first; the manifests' changes restart kube-apiserver and kube-controller-manager.",
                [
                    $"yq eval -i '.spec.containers[0].command |= . + [\"--service-account-key-file={node(next.Path)}\"]' /etc/kubernetes/manifests/kube-apiserver.yaml",
                    $"sed -i 's|--service-account-signing-key-file=.*|--service-account-signing-key-file={node(nextSigningKeyPath)}|' /etc/kubernetes/manifests/kube-apiserver.yaml",
                    $"sed -i 's|--service-account-private-key-file=.*|--service-account-private-key-file={node(nextSigningKeyPath)}|' /etc/kubernetes/manifests/kube-controller-manager.yaml",
                    Verify(issuer, both, kubeconfig: true),
                ],
                bothIds, bothIds, next.KeyId, null),
            new RotationStep(
                $"Wait {Describe(wait)}",
                $"Tokens signed with the old keys live up to {Describe(maxTokenLifetime)} (the kubelet refreshes projected tokens at 80% of their lifetime, at most every 24 h); Entra ID may cache the old JWKS for a while longer.",
                [],
                null, null, null, wait),
            new RotationStep(
                "Retire the old keys",
                "Only the new key is published and trusted; tokens the old keys signed are refused from now on (AADSTS700027).",
                [
                    Jwks([next]),
                    Upload(storage),
                    .. current.Select(k =>
                        $"yq eval -i 'del(.spec.containers[0].command[] | select(. == \"--service-account-key-file={node(k.Path)}\"))' /etc/kubernetes/manifests/kube-apiserver.yaml"),
                    Verify(issuer, [next], kubeconfig: true),
                ],
                [next.KeyId], [next.KeyId], next.KeyId, null),
        ];
    }

    public static string Describe(TimeSpan value) =>
        value.TotalHours >= 1 && value.Minutes == 0 && value.Seconds == 0
            ? $"{(int)value.TotalHours} h"
            : value.TotalMinutes >= 1 && value.Seconds == 0 ? $"{(int)value.TotalMinutes} min" : $"{(int)value.TotalSeconds} s";

    private static string Jwks(IEnumerable<KeyFile> keys) =>
        "azwi jwks " + string.Join(' ', keys.Select(k => "--public-keys " + Quote(k.Path))) + " --output-file jwks.json";

    private static string Upload(Storage storage) =>
        $"az storage blob upload --account-name {storage.Account} --container-name {storage.Container} --file jwks.json --name openid/v1/jwks --overwrite";

    private static string Verify(string issuer, IEnumerable<KeyFile> keys, bool kubeconfig) =>
        $"azwi oidc verify --issuer-url {Quote(issuer)} " + string.Join(' ', keys.Select(k => "--public-keys " + Quote(k.Path)))
        + (kubeconfig ? " --kubeconfig ~/.kube/config" : string.Empty);

    /// <summary>Single-quotes a value for a POSIX shell when it has characters the shell would interpret.</summary>
    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:@%+=,".Contains(c, StringComparison.Ordinal))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
