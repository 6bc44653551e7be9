using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// kube-apiserver's authorization chain as the sandbox needs it: members of <c>system:masters</c> may do anything
/// (the privileged-group authorizer), everyone else what an RBAC rule bound to them allows. A request is allowed by
/// the first rule that matches; if none does and a binding's role is missing, the reason names it as upstream does.
/// </summary>
internal sealed class RbacAuthorizer(RbacIndex index)
{
    private static readonly PolicyRule[] Everything =
    [
        new(["*"], ["*"], ["*"], [], []),
        new(["*"], [], [], [], ["*"]),
    ];

    public AuthorizationDecision Authorize(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.User.IsMaster)
        {
            return new AuthorizationDecision(true, string.Empty);
        }

        string? allowedBy = null;
        var errors = new List<string>();
        index.Visit(request.User, request.Namespace, (source, rule, error) =>
        {
            if (rule is not null && rule.Allows(request))
            {
                allowedBy = source;
                return false;
            }

            if (error is not null)
            {
                errors.Add(error);
            }

            return true;
        });
        return allowedBy is not null
            ? new AuthorizationDecision(true, "RBAC: allowed by " + allowedBy)
            : new AuthorizationDecision(false, errors.Count == 0 ? string.Empty : "RBAC: " + Aggregate(errors));
    }

    /// <summary>Every rule that applies to <paramref name="user"/> in <paramref name="namespace"/>, for SelfSubjectRulesReview.</summary>
    public (IReadOnlyList<PolicyRule> Rules, string EvaluationError) RulesFor(UserInfo user, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(user);
        var rules = new List<PolicyRule>(user.IsMaster ? Everything : []);
        var errors = new List<string>();
        index.Visit(user, @namespace, (_, rule, error) =>
        {
            if (rule is not null)
            {
                rules.Add(rule);
            }

            if (error is not null)
            {
                errors.Add(error);
            }

            return true;
        });
        return (rules, errors.Count == 0 ? string.Empty : Aggregate(errors));
    }

    // As Go's error aggregate prints: one error alone, several in brackets.
    private static string Aggregate(List<string> errors) => errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
}
