namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>What one kubectl (or helm) run printed and how it exited.</summary>
public sealed record KubectlResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Asserts success and returns stdout, showing both streams when it failed.</summary>
    public string Succeeded()
    {
        Assert.True(ExitCode == 0, $"{Command} exited with {ExitCode}\n--- stderr ---\n{Error}\n--- stdout ---\n{Output}");
        return Output;
    }
}
