using AzureWorkloadIdentity.Cli;

return await CliApplication.InvokeAsync(args, CliServices.System).ConfigureAwait(false);
