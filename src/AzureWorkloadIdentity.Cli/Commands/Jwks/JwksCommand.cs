using System.CommandLine;
using System.Security.Cryptography;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.Jwks;

/// <summary><c>azwi jwks --public-keys f [--public-keys g…] [--output-file out]</c>.</summary>
internal static class JwksCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        ArgumentNullException.ThrowIfNull(services);
        var publicKeys = new Option<string[]>("--public-keys")
        {
            Description = "List of public keys to include in the JWKS",
            AllowMultipleArgumentsPerToken = false,
        };
        var outputFile = new Option<string>("--output-file")
        {
            Description = "The name of the file to write the JWKS to. If not provided, the default output is stdout",
        };
        var command = new Command("jwks", "Create JSON Web Key Sets for the service account issuer keys")
        {
            publicKeys,
            outputFile,
        };
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            var files = PublicKeyFileReader.Files(parseResult.GetValue(publicKeys));
            if (files.Count == 0)
            {
                throw new CliUsageException("no public keys provided: pass --public-keys <file> (repeat it for several files)");
            }

            var keys = new List<AsymmetricAlgorithm>();
            try
            {
                foreach (var file in files)
                {
                    var read = PublicKeyFileReader.Read(file);
                    log.Debug("read public keys", ("file", file), ("count", read.Count));
                    keys.AddRange(read);
                }

                var document = JsonWebKeySetWriter.Write(keys);
                var path = parseResult.GetValue(outputFile);
                if (string.IsNullOrEmpty(path))
                {
                    await services.Console.Out.WriteAsync(document).ConfigureAwait(false);
                }
                else
                {
                    await OutputFile.WriteAsync(path, document, ownerOnly: true, cancellationToken).ConfigureAwait(false);
                    log.Debug("wrote JWKS", ("file", path), ("keys", keys.Count));
                }
            }
            finally
            {
                foreach (var key in keys)
                {
                    key.Dispose();
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
