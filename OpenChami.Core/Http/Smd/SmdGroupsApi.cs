using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/groups</c>, <c>/partitions</c> and <c>/memberships</c> (spec/smd.md §2.7–2.9, §9).</summary>
public static class SmdGroupsApi
{
    public static RouteGroupBuilder MapSmdGroupsApi(this RouteGroupBuilder smd)
    {
        // ---------------------------------------------------------------- groups
        smd.MapGet("/groups", (HttpRequest request, ChamiServices services) =>
        {
            var query = new GroupQuery();
            foreach (var (name, values) in request.Query)
            {
                var list = values.Select(v => v ?? string.Empty).ToList();
                switch (name.ToLowerInvariant())
                {
                    case "group": query.Labels.AddRange(list); break;
                    case "tag": query.Tags.AddRange(list); break;
                    case "partition": query.Partition = list.LastOrDefault(); break;
                    default: break;
                }
            }
            return Results.Json(SmdHttp.Call(() => services.Groups.Query(query), QueryError));
        });

        smd.MapPost("/groups", async (HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<Group>(request);
            var group = SmdHttp.Call(() => services.Groups.Create(input), ex => ex.ErrorId switch
            {
                "InvalidGroupLabel" or "InvalidTag" => "couldn't validate group: group or partition field has invalid characters",
                "InvalidXname" => "couldn't validate group: got HMSTypeInvalid instead of valid type",
                "ComponentNotFound" => "linked component does not exist",
                "GroupExists" or "MemberExists" => "operation would conflict with an existing group that has the same label or duplicate ids found in request.",
                "ExclusiveGroupConflict" => "operation would conflict with an existing member in another exclusive group.",
                _ => null,
            });
            return SmdHttp.CreatedArray($"/groups/{group.Label}");
        });

        smd.MapGet("/groups/labels", (ChamiServices services) => Results.Json(services.Groups.Labels()));

        smd.MapGet("/groups/{label}", (string label, HttpRequest request, ChamiServices services) =>
            Results.Json(SmdHttp.Call(() => services.Groups.Get(label, Partition(request)), QueryError)));

        smd.MapPatch("/groups/{label}", async (string label, HttpRequest request, ChamiServices services) =>
        {
            var patch = await SmdHttp.ReadJsonAsync<GroupPatch>(request);
            SmdHttp.Call(() => services.Groups.Update(label, patch), ex => ex.ErrorId switch
            {
                "GroupNotFound" => "no such group.",
                "InvalidTag" => "couldn't validate group: group or partition field has invalid characters",
                _ => null,
            });
            return TypedResults.NoContent();
        });

        smd.MapDelete("/groups/{label}", (string label, ChamiServices services) =>
        {
            SmdHttp.Call(() => services.Groups.Delete(label), ex => ex.ErrorId == "GroupNotFound" ? "no such group." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        smd.MapGet("/groups/{label}/members", (string label, HttpRequest request, ChamiServices services) =>
            Results.Json(SmdHttp.Call(() => services.Groups.Get(label, Partition(request)), QueryError).Members));

        smd.MapPost("/groups/{label}/members", async (string label, HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
            if (!Xname.TryParse(input.Id, out var id, out _)) return Problem.Result(400, "invalid xname ID");
            SmdHttp.Call(() => services.Groups.AddMember(label, id), MemberError("group"));
            return SmdHttp.CreatedArray($"/groups/{GroupService.NormalizeLabel(label)}/members/{id}");
        });

        smd.MapPut("/groups/{label}/members", async (string label, HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
            var group = SmdHttp.Call(() => services.Groups.ReplaceMembers(label, input.Ids ?? []), MemberError("group"));
            if (group.Members.Ids.Count == 0) return TypedResults.NoContent();
            return SmdHttp.CreatedArray(group.Members.Ids.Select(id => $"/groups/{group.Label}/members/{id}").ToArray());
        });

        smd.MapDelete("/groups/{label}/members/{xname}", (string label, string xname, ChamiServices services) =>
        {
            if (!Xname.IsValid(xname)) return Problem.Result(400, "invalid xname ID");
            SmdHttp.Call(() => services.Groups.RemoveMember(label, xname), ex => ex.ErrorId == "MemberNotFound" ? "group has no such member." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        // ---------------------------------------------------------------- partitions
        smd.MapGet("/partitions", (HttpRequest request, ChamiServices services) =>
        {
            var names = Values(request, "partition");
            var tags = Values(request, "tag");
            return Results.Json(SmdHttp.Call(() => services.Partitions.Query(names, tags), QueryError));
        });

        smd.MapPost("/partitions", async (HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<Partition>(request);
            var partition = SmdHttp.Call(() => services.Partitions.Create(input), ex => ex.ErrorId switch
            {
                "InvalidPartitionName" => "couldn't validate partition: Bad partition name. Must be p# or p#.#",
                "InvalidTag" => "couldn't validate partition: group or partition field has invalid characters",
                "InvalidXname" => "couldn't validate partition: got HMSTypeInvalid instead of valid type",
                "ComponentNotFound" => "linked component does not exist",
                "PartitionExists" or "MemberExists" => "operation would conflict with an existing partition that has the same name or duplicate ids found in request.",
                "PartitionMemberConflict" => "operation would conflict with an existing member in another partition.",
                _ => null,
            });
            return SmdHttp.CreatedArray($"/partitions/{partition.Name}");
        });

        smd.MapGet("/partitions/names", (ChamiServices services) => Results.Json(services.Partitions.Names()));

        smd.MapGet("/partitions/{name}", (string name, ChamiServices services) => Results.Json(services.Partitions.Get(name)));

        smd.MapPatch("/partitions/{name}", async (string name, HttpRequest request, ChamiServices services) =>
        {
            var patch = await SmdHttp.ReadJsonAsync<GroupPatch>(request);
            SmdHttp.Call(() => services.Partitions.Update(name, patch), ex => ex.ErrorId switch
            {
                "PartitionNotFound" => "no such partition.",
                "InvalidTag" => "couldn't validate partition: group or partition field has invalid characters",
                _ => null,
            });
            return TypedResults.NoContent();
        });

        smd.MapDelete("/partitions/{name}", (string name, ChamiServices services) =>
        {
            SmdHttp.Call(() => services.Partitions.Delete(name), ex => ex.ErrorId == "PartitionNotFound" ? "no such partition." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        smd.MapGet("/partitions/{name}/members", (string name, ChamiServices services) => Results.Json(services.Partitions.Get(name).Members));

        smd.MapPost("/partitions/{name}/members", async (string name, HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
            if (!Xname.TryParse(input.Id, out var id, out _)) return Problem.Result(400, "invalid xname ID");
            var partition = SmdHttp.Call(() => services.Partitions.AddMember(name, id), MemberError("partition"));
            return SmdHttp.CreatedArray($"/partitions/{partition}/members/{id}");
        });

        smd.MapDelete("/partitions/{name}/members/{xname}", (string name, string xname, ChamiServices services) =>
        {
            if (!Xname.IsValid(xname)) return Problem.Result(400, "invalid xname ID");
            SmdHttp.Call(() => services.Partitions.RemoveMember(name, xname), ex => ex.ErrorId == "MemberNotFound" ? "partition has no such member." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        // ---------------------------------------------------------------- memberships
        smd.MapGet("/memberships", (HttpRequest request, ChamiServices services) =>
            Results.Json(services.Memberships.Query(ComponentQueryParser.Parse(request.Query))));

        smd.MapGet("/memberships/{xname}", (string xname, ChamiServices services) =>
            Xname.IsValid(xname) ? Results.Json(services.Memberships.Get(xname)) : Problem.Result(400, "invalid xname"));
        return smd;
    }

    private static string? Partition(HttpRequest request) => Values(request, "partition").LastOrDefault();

    private static List<string> Values(HttpRequest request, string name) =>
        request.Query.Where(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value.Select(v => v ?? string.Empty)).ToList();

    private static string? QueryError(ChamiException ex) => ex.ErrorId switch
    {
        "InvalidGroupLabel" => "Invalid group label.",
        "InvalidTag" => "Invalid tag.",
        "InvalidPartitionName" => "Invalid partition name.",
        _ => null,
    };

    private static Func<ChamiException, string?> MemberError(string what) => ex => ex.ErrorId switch
    {
        "InvalidXname" => ex.Message.StartsWith("invalid xname IDs", StringComparison.Ordinal) ? null : "invalid xname ID",
        "ComponentNotFound" => "linked component does not exist",
        "MemberExists" => $"operation would conflict with an existing member in the same {what}.",
        "ExclusiveGroupConflict" => "operation would conflict with an existing member in another exclusive group.",
        "PartitionMemberConflict" => "operation would conflict with an existing member in another partition.",
        _ => null,
    };
}

/// <summary>Member add <c>{"id":x}</c> / member replace <c>{"ids":[..]}</c> (an extra <c>group</c> key is ignored).</summary>
public sealed class MemberInput
{
    public string? Id { get; set; }

    public List<string>? Ids { get; set; }
}
