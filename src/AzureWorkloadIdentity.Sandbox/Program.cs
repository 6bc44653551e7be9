using AzureWorkloadIdentity.Sandbox.Commands;

// On Ctrl+C or SIGTERM the command's token is cancelled; the quick start then removes its containers, pod network
// namespaces and work folder, which takes a few seconds — more than System.CommandLine's default 2 s before it exits.
var invocation = new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
return await SandboxCommandLine.Build().Parse(args).InvokeAsync(invocation);
