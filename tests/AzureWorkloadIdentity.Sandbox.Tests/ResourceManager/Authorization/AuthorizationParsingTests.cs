using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager.Authorization;

public sealed class AuthorizationParsingTests
{
    [Theory]
    [InlineData("providers/Microsoft.Authorization/roleDefinitions", "", false, null)]
    [InlineData("subscriptions/s/providers/Microsoft.Authorization/roleAssignments/g", "/subscriptions/s", true, "g")]
    [InlineData("subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v/providers/Microsoft.Authorization/roleAssignments/g",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v", true, "g")]
    [InlineData("SUBSCRIPTIONS/s/PROVIDERS/microsoft.authorization/ROLEDEFINITIONS/g/", "/SUBSCRIPTIONS/s", false, "g")]
    public void Parse_AuthorizationPaths_SplitsScopeKindAndName(string path, string scope, bool assignments, string? name)
    {
        var parsed = AuthorizationPath.Parse(path);

        Assert.Equal(new AuthorizationPath(scope, assignments, name), parsed);
    }

    [Theory]
    [InlineData("subscriptions/s/resourceGroups/rg")]
    [InlineData("subscriptions/s/providers/Microsoft.Authorization/roleAssignments/g/extra")]
    [InlineData("subscriptions/s/providers/Microsoft.Authorization/locks")]
    public void Parse_OtherPaths_ReturnsNull(string path) => Assert.Null(AuthorizationPath.Parse(path));

    [Theory]
    [InlineData("roleName eq 'Key Vault Secrets User'", "Key Vault Secrets User", null, false)]
    [InlineData("principalId eq 'abc'", null, "abc", false)]
    [InlineData("atScope() and assignedTo('abc')", null, "abc", true)]
    [InlineData("roleName eq 'O''Brien'", "O'Brien", null, false)]
    [InlineData("", null, null, false)]
    public void Parse_SupportedFilters_ReadsClauses(string filter, string? roleName, string? principalId, bool atScope)
    {
        var parsed = AuthorizationFilter.Parse(filter, out var error);

        Assert.Null(error);
        Assert.Equal((roleName, principalId, atScope), (parsed!.RoleName, parsed.PrincipalId, parsed.AtScope));
    }

    [Theory]
    [InlineData("roleName eq 'a' or roleName eq 'b'")]
    [InlineData("roleName eq 'a'b'")]
    [InlineData("principalName eq 'x'")]
    public void Parse_UnsupportedFilters_ReturnsError(string filter)
    {
        Assert.Null(AuthorizationFilter.Parse(filter, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/x/y/z", "/subscriptions/s/resourceGroups/rg", true)]
    [InlineData("/subscriptions/s/resourceGroups/RG", "/subscriptions/s/resourceGroups/rg/", true)]
    [InlineData("/subscriptions/s/resourceGroups/rg2", "/subscriptions/s/resourceGroups/rg", false)]
    [InlineData("/subscriptions/s", "/subscriptions/s/resourceGroups/rg", false)]
    [InlineData("/subscriptions/s", "/", true)]
    public void IsWithin_Scopes_ComparesBySegments(string id, string scope, bool within) =>
        Assert.Equal(within, ArmScope.IsWithin(id, scope));
}
