using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Serves every request of the API subset: discovery, issuer discovery, and the generic resource verbs
/// (get, list, watch, create, update, patch, delete) plus the TokenRequest subresource.
/// </summary>
internal sealed class KubernetesApiHandler
{
    private readonly ObjectStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly ApiRequestCounters _counters;
    private readonly KubernetesApiServerOptions _options;
    private readonly ApiDiscovery _discovery;
    private readonly OpenApiDocuments _openApi;
    private readonly TokenRequestEndpoint _tokens;
    private readonly ApiRequestGuard _guard;
    private readonly ReviewEndpoint _reviews;
    private readonly ResourceWrites _writes;
    private readonly PodStreamEndpoints _podStreams;

    public KubernetesApiHandler(ObjectStore store, ResourceCatalog catalog, ApiRequestCounters counters, KubernetesApiServerOptions options)
    {
        _store = store;
        _catalog = catalog;
        _counters = counters;
        _options = options;
        _discovery = new ApiDiscovery(catalog, options.KubernetesVersion);
        _openApi = new OpenApiDocuments(catalog, options.KubernetesVersion);
        _tokens = new TokenRequestEndpoint(store, options.TokenSigner, ApiAudiences.Of(options), options.TimeProvider);
        _guard = ApiRequestGuard.Create(store, options);
        _reviews = new ReviewEndpoint(_guard.Authorizer);
        _writes = new ResourceWrites(store, [new ServiceAccountAdmission(), .. options.Admission]);
        _podStreams = new PodStreamEndpoints(store, options);
    }

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (_options.OnRequest is { } hook)
            {
                await hook(context);
            }

            var user = await _guard.CheckAsync(context);

            if (await _discovery.TryHandleAsync(context) || await _openApi.TryHandleAsync(context) || await _tokens.TryHandleDiscoveryAsync(context))
            {
                return;
            }

            if (!ResourcePath.TryParse(context.Request.Path.Value ?? "/", out var path))
            {
                throw new KubernetesApiException(404, "NotFound", $"the server could not find the requested resource ({context.Request.Path})");
            }

            if (!await _reviews.TryHandleAsync(context, path!, user))
            {
                await HandleResourceAsync(context, path!);
            }
        }
        catch (KubernetesApiException ex) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteStatusAsync(context, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task HandleResourceAsync(HttpContext context, ResourcePath path)
    {
        var method = context.Request.Method;
        var query = context.Request.Query;
        var namespaced = path.Namespace is not null;
        if (path.Name is null)
        {
            if (HttpMethods.IsGet(method))
            {
                var type = _catalog.Resolve(path.Group, path.Version, path.Resource, namespaced, kindHint: null);
                var labels = LabelSelector.Parse(query["labelSelector"]);
                var fields = FieldSelector.Parse(query["fieldSelector"]);
                if (query["watch"] is var watch && (watch == "true" || watch == "1"))
                {
                    _counters.Increment("watch", path.Resource);
                    await WatchAsync(context, type, path.Namespace, labels, fields);
                    return;
                }

                _counters.Increment("list", path.Resource);
                var page = ListPage.Read(_store, type, path.Namespace, labels, fields, query["limit"], query["continue"]);
                await (TableRequest.From(context.Request) is { } table
                    ? ApiResponses.WriteJsonAsync(context, 200, TableWriter.Table(table, type, page.Items, page.ResourceVersion, page.Continue, Now))
                    : ApiResponses.WriteListAsync(context, type, page.Items, page.ResourceVersion, page.Continue));
                return;
            }

            if (HttpMethods.IsPost(method))
            {
                _counters.Increment("create", path.Resource);
                var value = await ApiResponses.ReadObjectAsync(context);
                var type = _catalog.Resolve(path.Group, path.Version, path.Resource, namespaced, value["kind"]?.GetValue<string>());
                await ApiResponses.WriteJsonAsync(context, 201, await _writes.CreateAsync(context, type, path.Namespace, value, Writes.IsDryRun(query)));
                return;
            }

            if (HttpMethods.IsDelete(method))
            {
                _counters.Increment("deletecollection", path.Resource);
                var type = _catalog.Resolve(path.Group, path.Version, path.Resource, namespaced, kindHint: null);
                var labels = LabelSelector.Parse(query["labelSelector"]);
                var fields = FieldSelector.Parse(query["fieldSelector"]);
                var options = DeleteOptions.From(query, await ApiResponses.ReadBodyAsync(context));
                var deleted = _store.DeleteCollection(type, path.Namespace, labels, fields, options);
                await ApiResponses.WriteListAsync(context, type, deleted, _store.ResourceVersion);
                return;
            }

            throw MethodNotAllowed(method, path);
        }

        var resource = _catalog.Resolve(path.Group, path.Version, path.Resource, namespaced, kindHint: null);
        if (path.Subresource == "token" && path.Resource == "serviceaccounts" && HttpMethods.IsPost(method))
        {
            _counters.Increment("create", "serviceaccounts/token");
            await _tokens.HandleTokenRequestAsync(context, path);
            return;
        }

        if (path.Subresource == "scale" && ScaleSubresource.Has(resource))
        {
            await HandleScaleAsync(context, resource, path);
            return;
        }

        if (PodStreamEndpoints.Serves(path))
        {
            _counters.Increment(HttpMethods.IsGet(method) ? "get" : "create", "pods/" + path.Subresource);
            await _podStreams.HandleAsync(context, path);
            return;
        }

        if (path.Subresource is not null and not "status")
        {
            throw new KubernetesApiException(404, "NotFound", $"the server could not find the requested resource ({path.Resource}/{path.Subresource})");
        }

        if (HttpMethods.IsGet(method))
        {
            _counters.Increment("get", path.Resource);
            var stored = _store.Get(resource, path.Namespace, path.Name);
            await (TableRequest.From(context.Request) is { } table
                ? ApiResponses.WriteJsonAsync(context, 200, TableWriter.Table(table, resource, [stored], stored.ResourceVersion, null, Now))
                : ApiResponses.WriteObjectAsync(context, 200, stored));
        }
        else if (HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
        {
            var replaces = HttpMethods.IsPut(method);
            _counters.Increment(replaces ? "update" : "patch", path.Resource);
            var change = await ReadChangeAsync(context, replaces);

            await ApiResponses.WriteJsonAsync(context, 200, await _writes.UpdateAsync(context, resource, path, change, replaces, Writes.IsDryRun(query)));
        }
        else if (HttpMethods.IsDelete(method))
        {
            _counters.Increment("delete", path.Resource);
            // kubectl sends its options (dryRun, grace period, propagation) in a DeleteOptions body.
            var options = DeleteOptions.From(query, await ApiResponses.ReadBodyAsync(context));
            await ApiResponses.WriteObjectAsync(context, 200, _store.Delete(resource, path.Namespace, path.Name, options));
        }
        else
        {
            throw MethodNotAllowed(method, path);
        }
    }

    private async Task HandleScaleAsync(HttpContext context, ResourceType resource, ResourcePath path)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            _counters.Increment("get", path.Resource + "/scale");
            await ApiResponses.WriteJsonAsync(context, 200, ScaleSubresource.View(_store.Get(resource, path.Namespace, path.Name!).ToJsonObject()));
            return;
        }

        var replaces = HttpMethods.IsPut(method);
        if (!replaces && !HttpMethods.IsPatch(method))
        {
            throw MethodNotAllowed(method, path);
        }

        _counters.Increment(replaces ? "update" : "patch", path.Resource + "/scale");
        var change = await ReadChangeAsync(context, replaces);

        var main = path with { Subresource = null };
        var written = await _writes.UpdateAsync(context, resource, main, ScaleSubresource.Apply(change), replaces, Writes.IsDryRun(context.Request.Query));
        await ApiResponses.WriteJsonAsync(context, 200, ScaleSubresource.View((JsonObject)written));
    }

    /// <summary>A PUT's body replaces the object; a PATCH's body changes it by its media type.</summary>
    private static async Task<Func<JsonObject, JsonObject>> ReadChangeAsync(HttpContext context, bool replaces)
    {
        if (!replaces)
        {
            return PatchFor(context.Request.ContentType, await ApiResponses.ReadBodyAsync(context));
        }

        var value = await ApiResponses.ReadObjectAsync(context);
        return _ => (JsonObject)value.DeepClone();
    }

    private static Func<JsonObject, JsonObject> PatchFor(string? contentType, byte[] body)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        switch (mediaType)
        {
            case "application/strategic-merge-patch+json":
                var strategicPatch = ApiResponses.ParseObject(body);
                return current => StrategicMergePatch.Apply(current, strategicPatch);
            case "application/apply-patch+yaml":
                throw new KubernetesApiException(
                    415, "UnsupportedMediaType",
                    "this sandbox does not support server-side apply: use kubectl apply without --server-side (client-side apply)");
            case "application/merge-patch+json":
                var mergePatch = ApiResponses.ParseJson(body);
                return current => JsonMergePatch.Apply(current, mergePatch) as JsonObject
                    ?? throw KubernetesApiException.BadRequest("a merge patch must be a JSON object");
            case "application/json-patch+json":
                JsonPatchDocument document;
                try
                {
                    document = JsonSerializer.Deserialize<JsonPatchDocument>(body)
                        ?? throw KubernetesApiException.BadRequest("the JSON patch is empty");
                }
                catch (JsonException ex)
                {
                    throw KubernetesApiException.BadRequest("the JSON patch is not valid: " + ex.Message);
                }

                return current =>
                {
                    try
                    {
                        document.ApplyTo(current);
                        return current;
                    }
                    catch (JsonPatchException ex)
                    {
                        throw new KubernetesApiException(422, "Invalid", "the JSON patch could not be applied: " + ex.Message);
                    }
                };
            default:
                throw new KubernetesApiException(
                    415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got '{contentType}')");
        }
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);

        var table = TableRequest.From(context.Request);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription subscription;
        try
        {
            subscription = _store.Watch(type, @namespace, labels, fields, query["resourceVersion"]);
        }
        catch (KubernetesApiException ex) when (ex.Code == 410)
        {
            // As kube-apiserver: the watch itself succeeds and carries one ERROR event with the 410 Status.
            await ApiResponses.WriteEventAsync(context, WatchEvent.Error, KubernetesStatus.Failure(ex), context.RequestAborted);
            return;
        }

        var first = true;
        async Task SendAsync(WatchEvent change, CancellationToken cancellationToken)
        {
            await (table is null
                ? ApiResponses.WriteEventAsync(context, change.Type, change.Object.Utf8Json, cancellationToken)
                : ApiResponses.WriteEventAsync(context, change.Type, TableWriter.Table(table, type, [change.Object], change.Object.ResourceVersion, null, Now, first), cancellationToken));
            first = false;
        }

        using (subscription)
        {
            using var expiry = new CancellationTokenSource(timeout, _options.TimeProvider);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(expiry.Token, context.RequestAborted);
            await context.Response.StartAsync(stop.Token);
            // As kube-apiserver: the headers go out at once. client-go before 1.29 waits for them without a deadline,
            // so `kubectl wait --for=delete --timeout` would never end on a quiet watch.
            await context.Response.BodyWriter.FlushAsync(stop.Token);
            try
            {
                await foreach (var change in subscription.Events.ReadAllAsync(stop.Token))
                {
                    await SendAsync(change, stop.Token);
                }
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                // Everything up to the bookmark's version must reach the client before the bookmark.
                var version = _store.ResourceVersion;
                while (subscription.Events.TryRead(out var pending))
                {
                    await SendAsync(pending, context.RequestAborted);
                }

                if (bookmarks)
                {
                    var bookmark = new JsonObject
                    {
                        ["kind"] = type.Kind,
                        ["apiVersion"] = type.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    };
                    await ApiResponses.WriteEventAsync(context, WatchEvent.Bookmark, bookmark, context.RequestAborted);
                }
            }
        }
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private static KubernetesApiException MethodNotAllowed(string method, ResourcePath path) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method} {path.Resource})");
}
