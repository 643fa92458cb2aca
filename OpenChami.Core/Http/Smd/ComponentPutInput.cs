namespace OpenChami.Core.Http.Smd;

/// <summary><c>PUT /State/Components/{xname}</c>: <c>{"Component":{..},"force":bool}</c>.</summary>
public sealed class ComponentPutInput
{
    public ComponentInput? Component { get; set; }

    public bool Force { get; set; }
}
