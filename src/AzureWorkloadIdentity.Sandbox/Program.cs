using AzureWorkloadIdentity.Sandbox.Commands;

return await SandboxCommandLine.Build().Parse(args).InvokeAsync();
