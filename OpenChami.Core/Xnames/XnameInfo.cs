namespace OpenChami.Core.Xnames;

/// <summary>What Test-ChamiXname -Detailed reports about one input.</summary>
public sealed class XnameInfo
{
    public required string Input { get; init; }

    public bool IsValid { get; init; }

    /// <summary>Normalized xname, or null when invalid.</summary>
    public string? Xname { get; init; }

    public HmsType Type { get; init; }

    public string? Parent { get; init; }

    public static XnameInfo Of(string input)
    {
        var valid = Xnames.Xname.TryParse(input, out var normalized, out var type);
        return new XnameInfo
        {
            Input = input,
            IsValid = valid,
            Xname = valid ? normalized : null,
            Type = valid ? type : HmsType.INVALID,
            Parent = valid ? Xnames.Xname.GetParent(normalized) : null,
        };
    }

    public override string ToString() => Xname ?? Input;
}
