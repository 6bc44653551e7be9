using System.CommandLine;
using System.Text;
using AzureWorkloadIdentity.Cli.Commands.Jwks;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// <c>azwi oidc rotate-plan --issuer-url u --current-public-keys sa.pub --new-public-key sa-new.pub …</c>: the
/// add-new-key → wait → remove-old-key schedule with the exact commands and the key ids each step publishes.
/// </summary>
public static class RotatePlanCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        ArgumentNullException.ThrowIfNull(services);
        var issuerUrl = OidcOptions.IssuerUrl();
        var currentKeys = new Option<string[]>("--current-public-keys")
        {
            Description = "Public key files the cluster trusts now (its --service-account-key-file values)",
            AllowMultipleArgumentsPerToken = false,
        };
        var newKey = new Option<string>("--new-public-key") { Description = "The new public key file (e.g. sa-new.pub)" };
        var newSigningKey = new Option<string>("--new-signing-key-file")
        {
            Description = "The new private key file the API server will sign with. Default: the new public key's name with .key",
        };
        var lifetime = new Option<string>("--max-token-lifetime")
        {
            Description = "The longest lifetime of a service account token in the cluster (kubelet refreshes at most every 24h)",
            DefaultValueFactory = _ => "24h",
        };
        var account = new Option<string>("--storage-account")
        {
            Description = "Storage account of the issuer documents",
            DefaultValueFactory = _ => "\"${AZURE_STORAGE_ACCOUNT}\"",
        };
        var container = new Option<string>("--storage-container")
        {
            Description = "Container of the issuer documents",
            DefaultValueFactory = _ => "\"${AZURE_STORAGE_CONTAINER}\"",
        };
        var output = OidcOptions.Output();
        var command = new Command("rotate-plan", "Print the key rotation schedule (publish new key, switch signing key, wait, retire old keys) with exact commands")
        {
            issuerUrl,
            currentKeys,
            newKey,
            newSigningKey,
            lifetime,
            account,
            container,
            output,
        };
        CommandActions.Set(command, services, debug, async (parseResult, _, _) =>
        {
            var issuer = OidcOptions.RequireIssuer(parseResult.GetValue(issuerUrl));
            var json = OidcOptions.IsJson(parseResult.GetValue(output));
            var currentFiles = PublicKeyFileReader.Files(parseResult.GetValue(currentKeys));
            if (currentFiles.Count == 0)
            {
                throw new CliUsageException("--current-public-keys is required: pass the public key file(s) the cluster trusts now, e.g. --current-public-keys sa.pub");
            }

            var nextPath = parseResult.GetValue(newKey)
                ?? throw new CliUsageException("--new-public-key is required: generate it with 'openssl genrsa -out sa-new.key 2048 && openssl rsa -in sa-new.key -pubout -out sa-new.pub'");
            if (!GoDuration.TryParse(parseResult.GetValue(lifetime), out var maxLifetime) || maxLifetime <= TimeSpan.Zero)
            {
                throw new CliUsageException($"--max-token-lifetime: '{parseResult.GetValue(lifetime)}' is not a positive duration; use e.g. 24h or 90m");
            }

            var currentKeyFiles = currentFiles.SelectMany(KeyFiles).ToList();
            var next = KeyFiles(nextPath).ToList();
            if (next.Count != 1)
            {
                throw new CliUsageException($"--new-public-key: {nextPath} holds {next.Count} keys; pass a file with exactly the one new key");
            }

            if (currentKeyFiles.Any(k => k.KeyId == next[0].KeyId))
            {
                throw new CliUsageException($"--new-public-key: {nextPath} is already a current key (kid {next[0].KeyId}); generate a new key pair");
            }

            var signingPath = parseResult.GetValue(newSigningKey) ?? Path.ChangeExtension(nextPath, ".key");
            var steps = RotationPlan.Build(
                issuer, currentKeyFiles, next[0], signingPath, maxLifetime,
                new RotationPlan.Storage(parseResult.GetValue(account)!, parseResult.GetValue(container)!));
            var text = json ? Json(issuer, steps) : Text(steps);
            await services.Console.Out.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<RotationPlan.KeyFile> KeyFiles(string path)
    {
        foreach (var key in PublicKeyFileReader.Read(path))
        {
            using (key)
            {
                yield return new RotationPlan.KeyFile(path, JsonWebKeySetWriter.KeyId(key));
            }
        }
    }

    private static string Text(IReadOnlyList<RotationStep> steps)
    {
        var text = new StringBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            text.Append($"# Step {i + 1}: {step.Title}\n# {step.Why}\n");
            if (step.PublishedKeyIds is { } published)
            {
                text.Append($"# published kids afterwards: {string.Join(", ", published)}\n");
            }

            if (step.SigningKeyId is { } signing)
            {
                text.Append($"# signing kid afterwards: {signing}\n");
            }

            foreach (var line in step.Commands)
            {
                text.Append(line).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Json(string issuer, IReadOnlyList<RotationStep> steps) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("issuerUrl", issuer);
        writer.WriteStartArray("steps");
        foreach (var step in steps)
        {
            writer.WriteStartObject();
            writer.WriteString("title", step.Title);
            writer.WriteString("why", step.Why);
            writer.WriteStrings("commands", step.Commands);
            if (step.PublishedKeyIds is { } published)
            {
                writer.WriteStrings("publishedKeyIds", published);
            }

            if (step.ClusterKeyIds is { } cluster)
            {
                writer.WriteStrings("clusterKeyIds", cluster);
            }

            writer.WriteString("signingKeyId", step.SigningKeyId);
            if (step.Wait is { } wait)
            {
                writer.WriteNumber("waitSeconds", (long)wait.TotalSeconds);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
