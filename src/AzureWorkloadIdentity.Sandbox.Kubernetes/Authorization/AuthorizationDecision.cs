namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>An authorizer's answer; <see cref="Reason"/> is what SubjectAccessReviews report and 403s append.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason);
