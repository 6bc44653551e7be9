using AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

/// <summary>
/// The impersonation headers <c>kubectl --as</c>, <c>--as-group</c>, <c>--as-uid</c> send (<c>Impersonate-User</c>,
/// <c>Impersonate-Group</c>, <c>Impersonate-Uid</c>, <c>Impersonate-Extra-&lt;key&gt;</c>): each thing asked for needs the
/// <c>impersonate</c> verb on users, groups, serviceaccounts (for <c>system:serviceaccount:…</c> users), uids or
/// userextras, else the request is refused with kube-apiserver's 403. The request then runs as the impersonated user:
/// a service account gets its groups unless groups are given, and <c>system:authenticated</c> is added as upstream adds it.
/// </summary>
internal static class Impersonation
{
    private const string UserHeader = "Impersonate-User";
    private const string GroupHeader = "Impersonate-Group";
    private const string UidHeader = "Impersonate-Uid";
    private const string ExtraPrefix = "Impersonate-Extra-";
    private const string AuthenticationGroup = "authentication.k8s.io";

    public static UserInfo Apply(IHeaderDictionary headers, UserInfo requestor, RbacAuthorizer authorizer)
    {
        var user = headers[UserHeader].ToString();
        var groups = headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        var uid = headers[UidHeader].ToString();
        var extras = headers.Where(h => h.Key.StartsWith(ExtraPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (user.Length == 0)
        {
            return groups.Count > 0 || uid.Length > 0 || extras.Count > 0
                ? throw KubernetesApiException.BadRequest(
                    "Impersonate-Group, Impersonate-Uid or Impersonate-Extra-* was sent without Impersonate-User: impersonating groups, a uid or extra values needs a user to impersonate (kubectl --as)")
                : requestor;
        }

        List<string> resultGroups = [];
        if (UserInfo.TrySplitServiceAccount(user, out var ns, out var name))
        {
            Check(authorizer, AuthorizationAttributes.ForResource(requestor, "impersonate", "", "serviceaccounts", ns, name));
            if (groups.Count == 0)
            {
                resultGroups.AddRange(UserInfo.ServiceAccountGroups(ns).Where(g => g != UserInfo.AuthenticatedGroup));
            }
        }
        else
        {
            Check(authorizer, AuthorizationAttributes.ForResource(requestor, "impersonate", "", "users", name: user));
        }

        foreach (var group in groups)
        {
            Check(authorizer, AuthorizationAttributes.ForResource(requestor, "impersonate", "", "groups", name: group));
            resultGroups.Add(group);
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (header, values) in extras)
        {
            var key = Uri.UnescapeDataString(header[ExtraPrefix.Length..].ToLowerInvariant());
            foreach (var value in values.OfType<string>())
            {
                Check(authorizer, AuthorizationAttributes.ForResource(requestor, "impersonate", AuthenticationGroup, "userextras", name: value, subresource: key));
            }

            extra[key] = [.. values.OfType<string>()];
        }

        if (uid.Length > 0)
        {
            Check(authorizer, AuthorizationAttributes.ForResource(requestor, "impersonate", AuthenticationGroup, "uids", name: uid));
        }

        if (user == UserInfo.AnonymousName)
        {
            if (!resultGroups.Contains(UserInfo.UnauthenticatedGroup))
            {
                resultGroups.Add(UserInfo.UnauthenticatedGroup);
            }
        }
        else if (!resultGroups.Contains(UserInfo.AuthenticatedGroup) && !resultGroups.Contains(UserInfo.UnauthenticatedGroup))
        {
            resultGroups.Add(UserInfo.AuthenticatedGroup);
        }

        return new UserInfo(user, uid, resultGroups, extra);
    }

    private static void Check(RbacAuthorizer authorizer, AuthorizationAttributes request)
    {
        var decision = authorizer.Authorize(request);
        if (!decision.Allowed)
        {
            throw Forbidden.For(request, decision.Reason);
        }
    }
}
