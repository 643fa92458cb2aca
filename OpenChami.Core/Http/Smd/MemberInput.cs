namespace OpenChami.Core.Http.Smd;

/// <summary>Member add <c>{"id":x}</c> / member replace <c>{"ids":[..]}</c> (an extra <c>group</c> key is ignored).</summary>
public sealed class MemberInput
{
    public string? Id { get; set; }

    public List<string>? Ids { get; set; }
}
