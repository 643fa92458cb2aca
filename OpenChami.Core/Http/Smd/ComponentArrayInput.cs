namespace OpenChami.Core.Http.Smd;

/// <summary><c>POST /State/Components</c> and <c>PATCH BulkNID</c>: <c>{"Components":[..],"force":bool}</c>.</summary>
public sealed class ComponentArrayInput
{
    public List<ComponentInput?>? Components { get; set; }

    public bool Force { get; set; }
}
