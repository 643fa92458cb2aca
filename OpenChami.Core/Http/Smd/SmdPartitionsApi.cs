using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/partitions</c> (spec/smd.md §2.8, §9).</summary>
public static class SmdPartitionsApi
{
    public static RouteGroupBuilder MapSmdPartitionsApi(this RouteGroupBuilder smd)
    {
        var partitions = smd.MapGroup("/partitions");
        partitions.MapGet(string.Empty, GetPartitions).WithName(nameof(GetPartitions)).ProducesProblem(400);
        partitions.MapPost(string.Empty, PostPartition).WithName(nameof(PostPartition)).ProducesProblem(400).ProducesProblem(409);
        partitions.MapGet("/names", GetPartitionNames).WithName(nameof(GetPartitionNames));
        partitions.MapGet("/{name}", GetPartition).WithName(nameof(GetPartition)).ProducesProblem(404);
        partitions.MapPatch("/{name}", PatchPartition).WithName(nameof(PatchPartition)).ProducesProblem(400).ProducesProblem(404);
        partitions.MapDelete("/{name}", DeletePartition).WithName(nameof(DeletePartition)).ProducesProblem(404);
        partitions.MapGet("/{name}/members", GetPartitionMembers).WithName(nameof(GetPartitionMembers)).ProducesProblem(404);
        partitions.MapPost("/{name}/members", PostPartitionMember).WithName(nameof(PostPartitionMember)).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        partitions.MapDelete("/{name}/members/{xname}", DeletePartitionMember).WithName(nameof(DeletePartitionMember)).ProducesProblem(400).ProducesProblem(404);
        return smd;
    }

    public static Ok<IReadOnlyList<Partition>> GetPartitions(HttpRequest request, ChamiServices services)
    {
        var names = SmdHttp.QueryValues(request, "partition");
        var tags = SmdHttp.QueryValues(request, "tag");
        return TypedResults.Ok(ChamiErrorMapping.Reword(() => services.Partitions.Query(names, tags), SmdHttp.QueryError));
    }

    public static async Task<Created<IReadOnlyList<ResourceUri>>> PostPartition(HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<Partition>(request);
        var partition = ChamiErrorMapping.Reword(() => services.Partitions.Create(input), ex => ex.ErrorId switch
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
    }

    public static Ok<IReadOnlyList<string>> GetPartitionNames(ChamiServices services) => TypedResults.Ok(services.Partitions.Names());

    public static Ok<Partition> GetPartition(string name, ChamiServices services) => TypedResults.Ok(services.Partitions.Get(name));

    public static async Task<NoContent> PatchPartition(string name, HttpRequest request, ChamiServices services)
    {
        var patch = await SmdHttp.ReadJsonAsync<GroupPatch>(request);
        ChamiErrorMapping.Reword(() => services.Partitions.Update(name, patch), ex => ex.ErrorId switch
        {
            "PartitionNotFound" => "no such partition.",
            "InvalidTag" => "couldn't validate partition: group or partition field has invalid characters",
            _ => null,
        });
        return TypedResults.NoContent();
    }

    public static Ok<SmdMessage> DeletePartition(string name, ChamiServices services)
    {
        ChamiErrorMapping.Reword(() => services.Partitions.Delete(name), ex => ex.ErrorId == "PartitionNotFound" ? "no such partition." : null);
        return SmdHttp.Message("deleted 1 entry");
    }

    public static Ok<MemberList> GetPartitionMembers(string name, ChamiServices services) => TypedResults.Ok(services.Partitions.Get(name).Members);

    public static async Task<Results<Created<IReadOnlyList<ResourceUri>>, ProblemResult>> PostPartitionMember(string name, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<MemberInput>(request);
        if (!Xname.TryParse(input.Id, out var id, out _)) return ProblemResult.BadRequest("invalid xname ID");
        var partition = ChamiErrorMapping.Reword(() => services.Partitions.AddMember(name, id), SmdHttp.MemberError("partition"));
        return SmdHttp.CreatedArray($"/partitions/{partition}/members/{id}");
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeletePartitionMember(string name, string xname, ChamiServices services)
    {
        if (!Xname.IsValid(xname)) return ProblemResult.BadRequest("invalid xname ID");
        ChamiErrorMapping.Reword(() => services.Partitions.RemoveMember(name, xname), ex => ex.ErrorId == "MemberNotFound" ? "partition has no such member." : null);
        return SmdHttp.Message("deleted 1 entry");
    }
}
