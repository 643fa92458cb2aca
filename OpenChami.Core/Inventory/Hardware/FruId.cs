using System.Text;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Hardware;

/// <summary>
/// FRU identity as upstream SMD forms it (spec/smd.md §2.11): <c>&lt;Type&gt;.&lt;Manufacturer&gt;.&lt;PartNumber or
/// Model&gt;.&lt;SerialNumber&gt;</c> (absent parts dropped), only characters <c>[A-Za-z0-9_.-]</c> kept. A part without
/// a serial number, or with nothing but one, can't be told apart from its siblings: it gets <c>FRUIDfor&lt;xname&gt;</c>,
/// an identity bound to its location.
/// </summary>
public static class FruId
{
    public static string For(HmsType type, string xname, string? manufacturer, string? partNumber, string? model, string? serialNumber)
    {
        var part = string.IsNullOrWhiteSpace(partNumber) ? model : partNumber;
        if (string.IsNullOrWhiteSpace(serialNumber) || (string.IsNullOrWhiteSpace(manufacturer) && string.IsNullOrWhiteSpace(part)))
        {
            return Clean("FRUIDfor" + xname);
        }
        return Clean(string.Join('.', new[] { type.ToString(), manufacturer, part, serialNumber }.Where(s => !string.IsNullOrWhiteSpace(s))));
    }

    private static string Clean(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') builder.Append(c);
        }
        return builder.ToString();
    }
}
