using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/groups</c> (spec/smd.md §2.7, §9).</summary>
public static class SmdGroupsApi
{
    public static RouteGroupBuilder MapSmdGroupsApi(this RouteGroupBuilder smd)
    {
        var groups = smd.MapGroup("/groups");
        groups.MapGet(string.Empty, GetGroups).WithName(nameof(GetGroups)).ProducesProblem(400);
        groups.MapPost(string.Empty, PostGroup).WithName(nameof(PostGroup)).ProducesProblem(400).ProducesProblem(409);
        groups.MapGet("/labels", GetGroupLabels).WithName(nameof(GetGroupLabels));
        groups.MapGet("/{label}", GetGroup).WithName(nameof(GetGroup)).ProducesProblem(400).ProducesProblem(404);
        groups.MapPatch("/{label}", PatchGroup).WithName(nameof(PatchGroup)).ProducesProblem(400).ProducesProblem(404);
        groups.MapDelete("/{label}", DeleteGroup).WithName(nameof(DeleteGroup)).ProducesProblem(404);
        groups.MapGet("/{label}/members", GetGroupMembers).WithName(nameof(GetGroupMembers)).ProducesProblem(400).ProducesProblem(404);
        groups.MapPost("/{label}/members", PostGroupMember).WithName(nameof(PostGroupMember)).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        groups.MapPut("/{label}/members", PutGroupMembers).WithName(nameof(PutGroupMembers)).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        groups.MapDelete("/{label}/members/{xname}", DeleteGroupMember).WithName(nameof(DeleteGroupMember)).ProducesProblem(400).ProducesProblem(404);
        return smd;
    }

    public static Ok<IReadOnlyList<Group>> GetGroups(HttpRequest request, ChamiServices services)
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
        return TypedResults.Ok(ChamiErrorMapping.Reword(() => services.Groups.Query(query), SmdHttp.QueryError));
    }

    public static async Task<Created<IReadOnlyList<ResourceUri>>> PostGroup(HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<Group>(request);
        var group = ChamiErrorMapping.Reword(() => services.Groups.Create(input), ex => ex.ErrorId switch
        {
            "InvalidGroupLabel" or "InvalidTag" => "couldn't validate group: group or partition field has invalid characters",
            "InvalidXname" => "couldn't validate group: got HMSTypeInvalid instead of valid type",
            "ComponentNotFound" => "linked component does not exist",
            "GroupExists" or "MemberExists" => "operation would conflict with an existing group that has the same label or duplicate ids found in request.",
            "ExclusiveGroupConflict" => "operation would conflict with an existing member in another exclusive group.",
            _ => null,
        });
        return SmdHttp.CreatedArray($"/groups/{group.Label}");
    }

    public static Ok<IReadOnlyList<string>> GetGroupLabels(ChamiServices services) => TypedResults.Ok(services.Groups.Labels());

    public static Ok<Group> GetGroup(string label, HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(ChamiErrorMapping.Reword(() => services.Groups.Get(label, SmdHttp.Partition(request)), SmdHttp.QueryError));

    public static async Task<NoContent> PatchGroup(string label, HttpRequest request, ChamiServices services)
    {
        var patch = await SmdHttp.ReadJsonAsync<GroupPatch>(request);
        ChamiErrorMapping.Reword(() => services.Groups.Update(label, patch), ex => ex.ErrorId switch
        {
            "GroupNotFound" => "no such group.",
            "InvalidTag" => "couldn't validate group: group or partition field has invalid characters",
            _ => null,
        });
        return TypedResults.NoContent();
    }

    public static Ok<SmdMessage> DeleteGroup(string label, ChamiServices services)
    {
        ChamiErrorMapping.Reword(() => services.Groups.Delete(label), ex => ex.ErrorId == "GroupNotFound" ? "no such group." : null);
        return SmdHttp.Message("deleted 1 entry");
    }

    public static Ok<MemberList> GetGroupMembers(string label, HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(ChamiErrorMapping.Reword(() => services.Groups.Get(label, SmdHttp.Partition(request)), SmdHttp.QueryError).Members);

    public static async Task<Results<Created<IReadOnlyList<ResourceUri>>, ProblemResult>> PostGroupMember(string label, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
        if (!Xname.TryParse(input.Id, out var id, out _)) return ProblemResult.BadRequest("invalid xname ID");
        ChamiErrorMapping.Reword(() => services.Groups.AddMember(label, id), SmdHttp.MemberError("group"));
        return SmdHttp.CreatedArray($"/groups/{GroupService.NormalizeLabel(label)}/members/{id}");
    }

    public static async Task<Results<Created<IReadOnlyList<ResourceUri>>, NoContent>> PutGroupMembers(string label, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
        var group = ChamiErrorMapping.Reword(() => services.Groups.ReplaceMembers(label, input.Ids ?? []), SmdHttp.MemberError("group"));
        if (group.Members.Ids.Count == 0) return TypedResults.NoContent();
        return SmdHttp.CreatedArray(group.Members.Ids.Select(id => $"/groups/{group.Label}/members/{id}").ToArray());
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteGroupMember(string label, string xname, ChamiServices services)
    {
        if (!Xname.IsValid(xname)) return ProblemResult.BadRequest("invalid xname ID");
        ChamiErrorMapping.Reword(() => services.Groups.RemoveMember(label, xname), ex => ex.ErrorId == "MemberNotFound" ? "group has no such member." : null);
        return SmdHttp.Message("deleted 1 entry");
    }
}
