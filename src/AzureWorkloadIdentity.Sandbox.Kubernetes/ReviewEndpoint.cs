using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The review APIs: what the caller may do (<c>kubectl auth can-i</c>: SelfSubjectAccessReview), all it may do in a
/// namespace (<c>auth can-i --list</c>: SelfSubjectRulesReview), who it is (<c>auth whoami</c>: SelfSubjectReview),
/// and what a named user and groups may do (SubjectAccessReview). Evaluated by the server's authorizer for the
/// (possibly impersonated) caller; created, answered, never stored.
/// </summary>
internal sealed class ReviewEndpoint(RbacAuthorizer authorizer)
{
    public static readonly ResourceType AccessReviews =
        new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false);

    public static readonly ResourceType RulesReviews =
        new("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false);

    public static readonly ResourceType SubjectReviews =
        new("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false);

    public static readonly ResourceType SubjectAccessReviews =
        new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", false);

    public static readonly IReadOnlyList<ResourceType> Types = [AccessReviews, RulesReviews, SubjectReviews, SubjectAccessReviews];

    public async Task<bool> TryHandleAsync(HttpContext context, ResourcePath path, UserInfo caller)
    {
        var type = Types.FirstOrDefault(t => t.Group == path.Group && t.Version == path.Version && t.Plural == path.Resource);
        if (type is null || path.Name is not null || path.Namespace is not null)
        {
            return false;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new KubernetesApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method} {type.QualifiedName})");
        }

        var review = await ApiResponses.ReadObjectAsync(context);
        review["apiVersion"] = type.ApiVersion;
        review["kind"] = type.Kind;
        review["metadata"] ??= new JsonObject();
        var spec = review["spec"] as JsonObject ?? [];
        review["status"] = type == SubjectReviews ? new JsonObject { ["userInfo"] = caller.ToJson() }
            : type == RulesReviews ? RulesStatus(caller, Text(spec["namespace"]))
            : type == AccessReviews ? AccessStatus(type, caller, spec)
            : AccessStatus(type, SubjectOf(spec), spec);
        await ApiResponses.WriteJsonAsync(context, 201, review);
        return true;
    }

    private JsonObject AccessStatus(ResourceType type, UserInfo user, JsonObject spec)
    {
        AuthorizationAttributes request;
        if (spec["resourceAttributes"] is JsonObject resource && spec["nonResourceAttributes"] is null)
        {
            request = AuthorizationAttributes.ForResource(
                user, Text(resource["verb"]), Text(resource["group"]), Text(resource["resource"]), Text(resource["namespace"]),
                Text(resource["name"]), Text(resource["subresource"]), Text(resource["version"]));
        }
        else if (spec["nonResourceAttributes"] is JsonObject nonResource && spec["resourceAttributes"] is null)
        {
            request = AuthorizationAttributes.ForPath(user, Text(nonResource["verb"]), Text(nonResource["path"]));
        }
        else
        {
            throw KubernetesApiException.Invalid(type, "",
                "spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var decision = authorizer.Authorize(request);
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }

        return status;
    }

    private JsonObject RulesStatus(UserInfo user, string @namespace)
    {
        var (rules, error) = authorizer.RulesFor(user, @namespace);
        var status = new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. rules.Where(r => r.Resources.Count > 0)
                .Select(r => (JsonNode)(r with { NonResourceUrls = [] }).ToJson())]),
            ["nonResourceRules"] = new JsonArray([.. rules.Where(r => r.NonResourceUrls.Count > 0)
                .Select(r => (JsonNode)new PolicyRule(r.Verbs, [], [], [], r.NonResourceUrls).ToJson())]),
            ["incomplete"] = false,
        };
        if (error.Length > 0)
        {
            status["evaluationError"] = error;
        }

        return status;
    }

    // A SubjectAccessReview asks about the user and groups it names, exactly: no group is added.
    private static UserInfo SubjectOf(JsonObject spec)
    {
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in spec["extra"] as JsonObject ?? [])
        {
            extra[key] = Strings(values);
        }

        var user = Text(spec["user"]);
        var groups = Strings(spec["groups"]);
        return user.Length == 0 && groups.Count == 0
            ? throw KubernetesApiException.Invalid(SubjectAccessReviews, "", "spec.user: Invalid value: \"\": at least one of user or group must be specified")
            : new UserInfo(user, Text(spec["uid"]), groups, extra);
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(Text).Where(s => s.Length > 0)] : [];
}
