using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The review APIs clients ask about themselves (<c>kubectl auth can-i</c>, <c>auth can-i --list</c>,
/// <c>auth whoami</c>): created, answered, never stored. Every request here is the sandbox admin's, a member of
/// <c>system:masters</c>, so every access is allowed.
/// </summary>
internal static class ReviewEndpoint
{
    public const string AdminUser = "sandbox-admin";

    public static readonly ResourceType AccessReviews =
        new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false);

    public static readonly ResourceType RulesReviews =
        new("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false);

    public static readonly ResourceType SubjectReviews =
        new("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", false);

    public static readonly IReadOnlyList<ResourceType> Types = [AccessReviews, RulesReviews, SubjectReviews];

    public static async Task<bool> TryHandleAsync(HttpContext context, ResourcePath path)
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
        review["status"] = type == AccessReviews ? AccessStatus()
            : type == RulesReviews ? RulesStatus()
            : new JsonObject { ["userInfo"] = new JsonObject { ["username"] = AdminUser, ["groups"] = new JsonArray("system:masters", "system:authenticated") } };
        await ApiResponses.WriteJsonAsync(context, 201, review);
        return true;
    }

    private static JsonObject AccessStatus() => new()
    {
        ["allowed"] = true,
        ["reason"] = "the sandbox admin is a member of system:masters",
    };

    private static JsonObject RulesStatus() => new()
    {
        ["resourceRules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("*"),
            ["apiGroups"] = new JsonArray("*"),
            ["resources"] = new JsonArray("*"),
        }),
        ["nonResourceRules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("*"),
            ["nonResourceURLs"] = new JsonArray("*"),
        }),
        ["incomplete"] = false,
    };
}
