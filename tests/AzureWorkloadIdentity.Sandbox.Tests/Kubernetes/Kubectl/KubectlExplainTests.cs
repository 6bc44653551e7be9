namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl explain</c> reads the OpenAPI v3 document of the resource's group-version and prints the schema found
/// by its <c>x-kubernetes-group-version-kind</c>: fields, types and the API's descriptions.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlExplainTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Explain_ContainerEnv_PrintsFieldsAndDescriptions(string version)
    {
        var output = (await sandbox.KubectlAsync(version, "explain", "pod.spec.containers.env")).Succeeded();

        Assert.Contains("KIND:", output, StringComparison.Ordinal);
        Assert.Matches(@"KIND:\s+Pod", output);
        Assert.Matches(@"FIELD:\s+env\s+<\[\]EnvVar>", output);
        Assert.Contains("List of environment variables to set in the container.", output, StringComparison.Ordinal);
        Assert.Matches(@"name\s+<string>", output);
        Assert.Matches(@"valueFrom\s+<EnvVarSource>", output);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Explain_DeploymentTemplate_PrintsPodTemplateSpec(string version)
    {
        var output = (await sandbox.KubectlAsync(version, "explain", "deploy.spec.template")).Succeeded();

        Assert.Matches(@"GROUP:\s+apps|VERSION:\s+apps/v1|VERSION:\s+v1", output);
        Assert.Matches(@"KIND:\s+Deployment", output);
        Assert.Matches(@"FIELD:\s+template\s+<PodTemplateSpec>", output);
        Assert.Contains("Template describes the pods that will be created.", output, StringComparison.Ordinal);
        Assert.Matches(@"metadata\s+<ObjectMeta>", output);
        Assert.Matches(@"spec\s+<PodSpec>", output);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Explain_ServiceAccountRecursive_PrintsTheFieldTree(string version)
    {
        var output = (await sandbox.KubectlAsync(version, "explain", "sa", "--recursive")).Succeeded();

        Assert.Matches(@"KIND:\s+ServiceAccount", output);
        Assert.Contains("ServiceAccount binds together:", output, StringComparison.Ordinal);
        Assert.Matches(@"automountServiceAccountToken\s+<boolean>", output);
        Assert.Matches(@"secrets\s+<\[\]ObjectReference>", output);
        Assert.Matches(@"\n\s+annotations\s+<map\[string\]string>", output);
        Assert.Matches(@"\n\s+ownerReferences\s+<\[\]OwnerReference>\n\s+apiVersion\s+<string>", output);
    }

    [Fact(Timeout = Timeout)]
    public async Task Explain_ServicePorts_IntOrStringNamedAsUpstream()
    {
        var output = (await sandbox.KubectlAsync("1.33", "explain", "svc.spec.ports")).Succeeded();

        Assert.Matches(@"targetPort\s+<IntOrString>", output);
        Assert.Matches(@"\n\s+port\s+<integer>", output);
        Assert.Contains("Number or name of the port to access on the pods targeted by the service.", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Explain_UnknownField_KubectlsError()
    {
        var result = await sandbox.KubectlAsync("1.33", "explain", "pod.spec.nosuchfield");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("field \"nosuchfield\" does not exist", result.Error, StringComparison.Ordinal);
    }
}
