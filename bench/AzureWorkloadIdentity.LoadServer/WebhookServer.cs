using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AzureWorkloadIdentity.LoadServer;

/// <summary>
/// <c>webhook-load-server &lt;webhook flags…&gt;</c>: the production composition (service-account cache included) plus
/// <c>POST /null</c> on the same Kestrel/TLS listener: it reads the body and answers a constant review, so a load
/// run can compare the webhook with the bare HTTP/2 + TLS stack in one process.
/// </summary>
public static class WebhookServer
{
    private static readonly byte[] ConstantReview = Encoding.UTF8.GetBytes(
        """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6","allowed":true}}""");

    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = WebhookApplication.Build(args);
        }
        catch (WebhookConfigurationException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        app.MapPost("/null", NullAsync).WithMetadata(new ListenerMetadata(Listener.Webhook));
        await app.RunAsync();
        return 0;
    }

    private static async Task NullAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(ConstantReview, context.RequestAborted);
    }
}
