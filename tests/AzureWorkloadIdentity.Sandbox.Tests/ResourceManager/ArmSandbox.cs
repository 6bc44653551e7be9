using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Primitives;
using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

/// <summary>
/// The sandbox's Resource Manager on a loopback port, with the real Azure.ResourceManager <see cref="ArmClient"/>
/// pointed at it through a custom <see cref="ArmEnvironment"/>, and the SDK's own HTTP pipeline (bearer policy
/// included) for the Microsoft.Authorization calls that 1.7.0 has no typed client for.
/// </summary>
internal sealed class ArmSandbox : IAsyncDisposable
{
    public const string TenantId = GraphSandbox.TenantId;
    public const string SubscriptionId = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    private const string Audience = "https://management.azure.com/";

    private ArmSandbox(
        SandboxDirectory directory, FakeTimeProvider time, AccessTokenIssuer tokens, LoopbackHttpsServer server, ArmClient client, HttpPipeline pipeline, SandboxTls tls)
    {
        Tokens = tokens;
        Directory = directory;
        Time = time;
        Server = server;
        Client = client;
        Pipeline = pipeline;
        Tls = tls;
    }

    public SandboxDirectory Directory { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>The token issuer and validator Resource Manager validates with (the fixture's).</summary>
    public AccessTokenIssuer Tokens { get; }

    public LoopbackHttpsServer Server { get; }

    public ArmClient Client { get; }

    public HttpPipeline Pipeline { get; }

    public SandboxTls Tls { get; }

    public static string GroupId(string resourceGroup) => $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}";

    /// <param name="credential">Given the sandbox's token issuer, the credential the clients use; real issued tokens by default.</param>
    public static async Task<ArmSandbox> StartAsync(
        TlsFixture fixture, ResourceManagerOptions? options = null, Func<AccessTokenIssuer, TokenCredential>? credential = null)
    {
        // The directory runs on a fake clock (replication delay); tokens keep the real one, as they would in Azure.
        var (tls, tokens) = (fixture.Tls, fixture.Tokens);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var directory = new SandboxDirectory(TenantId, SubscriptionId, time);
        var server = await LoopbackHttpsServer.StartAsync(tls, endpoints =>
            endpoints.MapResourceManager(directory, tokens, options ?? new ResourceManagerOptions()));
        var tokenCredential = credential?.Invoke(tokens) ?? new IssuedTokenCredential(tokens);
        var clientOptions = CreateClientOptions(tls, server);
        var client = new ArmClient(tokenCredential, SubscriptionId, clientOptions);
        var pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(tokenCredential, clientOptions.Environment!.Value.DefaultScope));
        return new ArmSandbox(directory, time, tokens, server, client, pipeline, tls);
    }

    public static ArmClientOptions CreateClientOptions(SandboxTls tls, LoopbackHttpsServer server)
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(server.BaseUri, Audience),
            Transport = new HttpClientTransport(new HttpClient(tls.CreateTrustingHandler())),
        };
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>Sends one request through the SDK's pipeline; the api-version is the one each call documents.</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(RequestMethod method, string pathAndQuery, object? body = null)
    {
        using var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(Server.BaseUri, pathAndQuery.TrimStart('/')));
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromObjectAsJson(body));
        }

        await Pipeline.SendAsync(message, CancellationToken.None);
        var response = message.Response;
        var json = response.Content.ToMemory().Length > 0
            ? JsonDocument.Parse(response.Content.ToMemory()).RootElement.Clone()
            : default;
        return (response.Status, json);
    }

    /// <summary>An application's service principal created directly in the directory at the current (fake) time.</summary>
    public ServicePrincipal AddServicePrincipal()
    {
        var sp = new ServicePrincipal(TenantId, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "app", Time.GetUtcNow());
        Directory.Update(s => (s with { ServicePrincipals = s.ServicePrincipals.With(sp.ObjectId, sp) }, 0));
        return sp;
    }

    public void AddResourceGroup(string name, string location = "westus")
    {
        var group = new ResourceGroup(SubscriptionId, name, location);
        Directory.Update(s => (s with { ResourceGroups = s.ResourceGroups.With(group.Id, group) }, 0));
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
