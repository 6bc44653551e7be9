using System.CommandLine;
using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Commands.Oidc;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// <c>azwi doctor --namespace ns (--pod p | --service-account sa | -f workload.yaml) [auth flags] [--exchange]
/// [--output text|json]</c>: walks pod → service account → webhook → issuer → federated credential → Entra ID and
/// prints one line per check. Exit 0 when nothing failed, 1 when a check failed, 2 for bad usage.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(CliServices services, Option<bool> debug)
    {
        ArgumentNullException.ThrowIfNull(services);
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the pod, service account or workload", DefaultValueFactory = _ => "default" };
        var pod = new Option<string>("--pod") { Description = "Diagnose this pod (and the workload that owns it)" };
        var serviceAccount = new Option<string>("--service-account") { Description = "Diagnose this service account only (no pod)" };
        var file = new Option<string>("--filename", "-f") { Description = "Diagnose the workload in this manifest before applying it (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob)" };
        var exchange = new Option<bool>("--exchange") { Description = "Also mint a service account token (TokenRequest) and exchange it with Entra ID, as the pod would" };
        var output = OidcOptions.Output();
        var authentication = new AuthenticationFlags();
        var command = new Command("doctor", "Diagnose why a pod does not get its Azure workload identity: one line per link, with a stable code and the fix")
        {
            ns, pod, serviceAccount, file, exchange, output,
        };
        authentication.AddTo(command);
        CommandActions.Set(command, services, debug, async (parseResult, log, cancellationToken) =>
        {
            try
            {
                var json = OidcOptions.IsJson(parseResult.GetValue(output));
                var authenticationSettings = authentication.Read(parseResult);
                var method = authenticationSettings.Validate();
                var cloud = CloudSettings.Resolve(parseResult.GetValue(authentication.AzureEnv), services.GetEnvironmentVariable);
                var subscriptionFlag = parseResult.GetValue(authentication.SubscriptionId);
                using var connections = new ServiceAccountConnections(services.GetEnvironmentVariable, ct =>
                {
                    // Resolved on first use: a diagnosis that never reaches Azure needs no subscription.
                    var (subscriptionId, _) = SubscriptionResolver.Resolve(subscriptionFlag, services.GetEnvironmentVariable);
                    return AzureConnection.ConnectAsync(cloud, authenticationSettings, method, subscriptionId, services.CreateHttpHandler, ct);
                });
                var kubernetes = connections.Kubernetes();
                var target = await ReadTargetAsync(parseResult, kubernetes, ns, pod, serviceAccount, file, cancellationToken).ConfigureAwait(false);
                var context = new DoctorContext(target, kubernetes, services, cloud, connections.AzureAsync, parseResult.GetValue(exchange));
                var findings = await DoctorChecks.RunAsync(context, DoctorChecks.All, cancellationToken).ConfigureAwait(false);
                await services.Console.Out.WriteAsync(json ? DoctorReportWriter.Json(target, findings) : DoctorReportWriter.Text(target, findings)).ConfigureAwait(false);
                return DoctorReportWriter.Passed(findings) ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (CliUsageException exception)
            {
                await services.Console.Error.WriteLineAsync("Error: " + exception.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task<DoctorTarget> ReadTargetAsync(
        ParseResult parseResult, k8s.Kubernetes kubernetes, Option<string> ns, Option<string> pod, Option<string> serviceAccount, Option<string> file,
        CancellationToken cancellationToken)
    {
        var @namespace = parseResult.GetValue(ns) is { Length: > 0 } given ? given : "default";
        var (podName, accountName, path) = (parseResult.GetValue(pod), parseResult.GetValue(serviceAccount), parseResult.GetValue(file));
        var named = new[] { podName, accountName, path }.Count(v => !string.IsNullOrEmpty(v));
        if (named != 1)
        {
            throw new CliUsageException("pass exactly one of --pod <name>, --service-account <name> or -f <workload.yaml>");
        }

        if (!string.IsNullOrEmpty(podName))
        {
            return await DoctorTargetReader.PodAsync(kubernetes, @namespace, podName, cancellationToken).ConfigureAwait(false);
        }

        return !string.IsNullOrEmpty(accountName)
            ? DoctorTargetReader.ServiceAccount(@namespace, accountName)
            : await DoctorTargetReader.FileAsync(path!, parseResult.GetResult(ns) is { Implicit: false } ? @namespace : null, cancellationToken).ConfigureAwait(false);
    }
}
