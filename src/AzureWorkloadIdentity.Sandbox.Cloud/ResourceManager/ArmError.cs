using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Resource Manager's error body, <c>{"error":{"code","message"}}</c>, which the SDK surfaces as
/// <c>RequestFailedException.ErrorCode</c> and <c>.Message</c>.</summary>
internal static class ArmError
{
    public static IResult Create(int status, string code, string message) =>
        ArmJson.Result(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, status);

    public static IResult BadRequest(string code, string message) => Create(StatusCodes.Status400BadRequest, code, message);

    public static IResult ResourceNotFound(string type, string name, string resourceGroup) => Create(
        StatusCodes.Status404NotFound,
        "ResourceNotFound",
        $"The Resource '{type}/{name}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    public static IResult ResourceGroupNotFound(string resourceGroup) => Create(
        StatusCodes.Status404NotFound, "ResourceGroupNotFound", $"Resource group '{resourceGroup}' could not be found.");

    public static IResult LocationRequired() => BadRequest(
        "LocationRequired", "The location property is required for this definition. Add a \"location\" to the request body.");
}
