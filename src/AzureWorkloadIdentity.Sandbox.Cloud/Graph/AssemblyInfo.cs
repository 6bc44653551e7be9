using System.Runtime.CompilerServices;

// The query parser and rule helpers are internal; their table tests live in the sandbox's test project.
[assembly: InternalsVisibleTo("AzureWorkloadIdentity.Sandbox.Tests")]
