using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>
/// Redfish error bodies (<c>{"error":{"code","message","@Message.ExtendedInfo":[...]}}</c>) with Base
/// registry message IDs, so clients that parse errors see what a real BMC sends.
/// </summary>
internal static class RedfishErrors
{
    private const string Registry = "Base.1.8.";

    public static byte[] ResourceNotFound(string path) =>
        Build("ResourceNotFound", $"The requested resource of type Resource named '{path}' was not found.",
            "Provide a valid resource identifier and resubmit the request.", path);

    public static byte[] NoValidSession() =>
        Build("NoValidSession", "There is no valid session established with the implementation.",
            "Establish a session before attempting any operations.");

    public static byte[] InternalError() =>
        Build("InternalError", "The request failed due to an internal service error.  The service is still operational.",
            "Resubmit the request.  If the problem persists, consider resetting the service.");

    public static byte[] MalformedJson() =>
        Build("MalformedJSON", "The request body submitted was malformed JSON and could not be parsed by the receiving service.",
            "Ensure that the request body is valid JSON and resubmit the request.");

    public static byte[] ActionParameterMissing(string action, string parameter) =>
        Build("ActionParameterMissing", $"The action {action} requires the parameter {parameter} to be present in the request body.",
            $"Supply the action with the required parameter in the request body when the request is resubmitted.", action, parameter);

    public static byte[] ActionParameterValueNotInList(string value, string parameter, string action) =>
        Build("ActionParameterValueNotInList",
            $"The value '{value}' for the parameter {parameter} in the action {action} is not in the list of acceptable values.",
            "Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.",
            value, parameter, action);

    public static byte[] PropertyMissing(string property) =>
        Build("PropertyMissing", $"The property {property} is a required property and must be included in the request.",
            "Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.", property);

    public static byte[] OperationNotAllowed(string method, string path) =>
        Build("OperationNotAllowed", $"The HTTP method {method} is not allowed on '{path}'.",
            "None.", method, path);

    private static byte[] Build(string id, string message, string resolution, params string[] args)
    {
        var info = new JsonObject
        {
            ["@odata.type"] = "#Message.v1_1_1.Message",
            ["MessageId"] = Registry + id,
            ["Message"] = message,
            ["MessageArgs"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["MessageSeverity"] = "Critical",
            ["Severity"] = "Critical",
            ["Resolution"] = resolution,
        };
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = Registry + id,
                ["message"] = message,
                ["@Message.ExtendedInfo"] = new JsonArray(info),
            },
        };
        return RedfishJson.ToUtf8(body);
    }
}
