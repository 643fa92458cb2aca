using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Xnames;

/// <summary>
/// The xname grammar of smd.md §4 (recognition table, normalization, parent, descendants) and the
/// default NID rule of §6. This is the only xname parser of the project.
/// </summary>
/// <remarks>
/// A hand-written scanner rather than 56 regexes: it runs for every request and every stored id, so it
/// should not allocate when the input is already normalized (the common case) and should not cost
/// regex start-up time when the PowerShell module loads. Every function accepts un-normalized input and
/// normalizes it first; results are always normalized.
/// </remarks>
public static class Xname
{
    /// <summary>Marks an unbounded number (<c>N</c> in the table).</summary>
    private const int Any = int.MaxValue;

    /// <summary>
    /// The hierarchical part of §4.1 (rows 8–56) as a tree: every xname there is a chain of
    /// letter+number segments and each prefix names its own type, so a walk down this tree is both the
    /// pattern match and the type lookup. Number ranges apply to the normalized digits (no leading
    /// zeros), so <c>X</c> = 0..9999, <c>[1-9][0-9]*</c> = 1..Any, <c>[0-3]</c> = 0..3.
    /// </summary>
    private static readonly Level Root = Seg('\0', 0, 0, HmsType.INVALID,
        Seg('x', 0, 9999, HmsType.Cabinet,
            Seg('d', 0, 1, HmsType.CabinetCDU),
            Seg('b', 0, 0, HmsType.CabinetBMC),
            Seg('e', 0, 1, HmsType.CEC),
            Seg('m', 0, 3, HmsType.CabinetPDUController,
                Seg('p', 0, 7, HmsType.CabinetPDU,
                    Seg('j', 1, Any, HmsType.CabinetPDUOutlet),
                    Seg('v', 1, Any, HmsType.CabinetPDUPowerConnector)),
                Seg('i', 0, 3, HmsType.CabinetPDUNic)),
            Seg('c', 0, 7, HmsType.Chassis,
                Seg('b', 0, 0, HmsType.ChassisBMC,
                    Seg('i', 0, 3, HmsType.ChassisBMCNic)),
                Seg('f', 0, 0, HmsType.CMMFpga),
                Seg('t', 0, 9, HmsType.CMMRectifier),
                Seg('s', 0, Any, HmsType.ComputeModule,
                    Seg('b', 0, Any, HmsType.NodeBMC,
                        Seg('i', 0, 3, HmsType.NodeBMCNic),
                        Seg('f', 0, 0, HmsType.NodeFpga),
                        Seg('n', 0, Any, HmsType.Node,
                            Seg('v', 0, Any, HmsType.VirtualNode),
                            Seg('p', 0, 3, HmsType.Processor),
                            Seg('d', 0, Any, HmsType.Memory),
                            Seg('i', 0, 3, HmsType.NodeNic),
                            Seg('h', 0, 3, HmsType.NodeHsnNic),
                            Seg('a', 0, Any, HmsType.NodeAccel),
                            Seg('r', 0, 7, HmsType.NodeAccelRiser),
                            Seg('g', 0, Any, HmsType.StorageGroup,
                                Seg('k', 0, Any, HmsType.Drive)))),
                    Seg('e', 0, Any, HmsType.NodeEnclosure,
                        Seg('t', 0, Any, HmsType.NodeEnclosurePowerSupply)),
                    Seg('j', 1, 2, HmsType.NodePowerConnector), // deprecated spelling
                    Seg('v', 1, 2, HmsType.NodePowerConnector)),
                Seg('r', 0, Any, HmsType.RouterModule,
                    Seg('b', 0, Any, HmsType.RouterBMC,
                        Seg('i', 0, 3, HmsType.RouterBMCNic)),
                    Seg('f', 0, 1, HmsType.RouterFpga),
                    Seg('t', 0, Any, HmsType.RouterTOR,
                        Seg('f', 0, 1, HmsType.RouterTORFpga)),
                    Seg('v', 1, 2, HmsType.RouterPowerConnector),
                    Seg('e', 0, Any, HmsType.HSNBoard),
                    Seg('a', 0, 3, HmsType.HSNAsic,
                        Seg('l', 0, Any, HmsType.HSNLink)),
                    Seg('j', 1, Any, HmsType.HSNConnector,
                        Seg('p', 0, 2, HmsType.HSNConnectorPort))),
                Seg('w', 1, Any, HmsType.MgmtSwitch,
                    Seg('j', 1, Any, HmsType.MgmtSwitchConnector)),
                Seg('h', 1, Any, HmsType.MgmtHLSwitchEnclosure,
                    Seg('s', 1, 9, HmsType.MgmtHLSwitch)))),
        Seg('d', 0, Any, HmsType.CDU,
            Seg('w', 0, Any, HmsType.CDUMgmtSwitch)));

    /// <summary>The 56 wire names, matched case-insensitively (§4.2 "Type names on input").</summary>
    private static readonly FrozenDictionary<string, HmsType> TypeNames =
        Enum.GetValues<HmsType>().ToFrozenDictionary(t => t.ToString(), StringComparer.OrdinalIgnoreCase);

    private static readonly SearchValues<char> LowerAlphanumeric =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    // ---------------------------------------------------------------- normalization / validation

    /// <summary>
    /// §4.2 Normalize: trim, strip the leading zeros of every number (a lone <c>0</c> stays), lower-case.
    /// Returns <paramref name="input"/> itself when nothing changes; <c>null</c> gives <c>""</c>.
    /// </summary>
    /// <remarks>
    /// Only spaces and tabs are trimmed: a line break is never part of an operator's xname, and keeping
    /// it makes <c>"x1\n"</c> invalid instead of silently accepted (header/log injection through ids).
    /// Only ASCII is lower-cased and only ASCII digits count as digits, so no Unicode case mapping
    /// (e.g. the Kelvin sign to <c>k</c>) can turn a foreign string into a valid xname.
    /// </remarks>
    public static string Normalize(string? input)
    {
        if (input is null)
        {
            return "";
        }

        var source = input.AsSpan().Trim(" \t");
        Span<char> buffer = source.Length <= 128 ? stackalloc char[128] : new char[source.Length];
        int length = 0;
        bool atNumberStart = true; // no digit of the current number has been kept yet
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (char.IsAsciiDigit(c))
            {
                if (c == '0' && atNumberStart && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1]))
                {
                    continue; // leading zero
                }

                atNumberStart = false;
            }
            else
            {
                atNumberStart = true;
                if (char.IsAsciiLetterUpper(c))
                {
                    c = (char)(c + ('a' - 'A'));
                }
            }

            buffer[length++] = c;
        }

        var result = buffer[..length];
        return result.SequenceEqual(input.AsSpan()) ? input : new string(result);
    }

    /// <summary>Normalizes and classifies. On failure <paramref name="normalized"/> is <c>""</c> and the type INVALID.</summary>
    public static bool TryParse(string? input, out string normalized, out HmsType type)
    {
        var id = Normalize(input);
        type = Classify(id);
        normalized = type == HmsType.INVALID ? "" : id;
        return type != HmsType.INVALID;
    }

    /// <summary>Returns the normalized xname or throws <see cref="ChamiException"/> <c>InvalidXname</c>.</summary>
    public static string Parse(string? input) =>
        TryParse(input, out var id, out _) ? id : throw InvalidXname(input);

    /// <summary>
    /// Like <see cref="Parse(string?)"/>, and also throws <c>InvalidXnameType</c> when the xname's type is not
    /// one of <paramref name="allowed"/> (which must not be empty: an empty list is a programming error).
    /// </summary>
    public static string Parse(string? input, params HmsType[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Length == 0)
        {
            throw new ArgumentException("At least one allowed type is required.", nameof(allowed));
        }

        if (!TryParse(input, out var id, out var type))
        {
            throw InvalidXname(input);
        }

        if (Array.IndexOf(allowed, type) < 0)
        {
            throw ChamiException.Invalid("InvalidXnameType", $"xname '{id}' is a {type}, expected {DescribeTypes(allowed)}", id);
        }

        return id;
    }

    /// <summary>The type of the xname, or INVALID.</summary>
    public static HmsType GetHmsType(string? input) => Classify(Normalize(input));

    public static bool IsValid(string? input) => GetHmsType(input) != HmsType.INVALID;

    // ---------------------------------------------------------------- hierarchy

    /// <summary>
    /// §4.2 Parent (normalized). Cabinet and CDU → <c>s0</c>; System, SMSBox, partitions, the <c>all*</c>
    /// ids and invalid input → <c>null</c>. NodeFpga's parent is its NodeBMC (derivation, not the table).
    /// </summary>
    public static string? GetParent(string xname)
    {
        if (!TryParse(xname, out var id, out var type))
        {
            return null;
        }

        return type switch
        {
            HmsType.Cabinet or HmsType.CDU => "s0",
            HmsType.All or HmsType.AllComp or HmsType.AllSvc or HmsType.Partition or HmsType.System or HmsType.SMSBox => null,
            _ => StripLastSegment(id),
        };
    }

    /// <summary>
    /// §4.2 Descendants: true when <paramref name="candidate"/> equals <paramref name="ancestor"/> or extends it
    /// with a letter (<c>^X([a-z][a-z0-9]*)?$</c>), after normalizing both. False when either is invalid.
    /// Purely textual: <c>s0</c>/<c>all</c> meaning "everything" is the Query route's business.
    /// </summary>
    public static bool IsDescendantOrSelf(string candidate, string ancestor)
    {
        if (!TryParse(candidate, out var c, out _) || !TryParse(ancestor, out var a, out _)
            || !c.StartsWith(a, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = c.AsSpan(a.Length);
        return rest.IsEmpty || (char.IsAsciiLetterLower(rest[0]) && !rest.ContainsAnyExcept(LowerAlphanumeric));
    }

    /// <summary>The NodeBMC of a Node (<c>x1000c0s0b3n0</c> → <c>x1000c0s0b3</c>); null when not a Node.</summary>
    public static string? GetNodeBmc(string nodeXname) =>
        TryParse(nodeXname, out var id, out var type) && type == HmsType.Node ? StripLastSegment(id) : null;

    // ---------------------------------------------------------------- type names

    /// <summary>Case-insensitive match against the 56 names (INVALID included); throws <c>InvalidHmsType</c>.</summary>
    public static HmsType ParseTypeName(string? name) =>
        TryParseTypeName(name, out var type)
            ? type
            : throw ChamiException.Invalid("InvalidHmsType", $"'{name}' is not a valid HMS type", name);

    /// <summary>Case-insensitive match against the 56 names only (no numbers, no comma lists, no trimming).</summary>
    public static bool TryParseTypeName(string? name, out HmsType type)
    {
        if (name is not null && TypeNames.TryGetValue(name, out type))
        {
            return true;
        }

        type = HmsType.INVALID;
        return false;
    }

    // ---------------------------------------------------------------- NID

    /// <summary>
    /// §6 default NID: <c>(cabinet+1)*16384 + chassis*2048 + slot*32 + bmc*4 + node</c> for a Node; a VirtualNode
    /// uses its <c>v</c> index as the last term instead of the node index. Null for other types, invalid input,
    /// or when the result does not fit in a long (slot, BMC and node numbers are unbounded).
    /// </summary>
    public static long? ComputeNid(string xname)
    {
        if (!TryParse(xname, out var id, out var type) || type is not (HmsType.Node or HmsType.VirtualNode))
        {
            return null;
        }

        // Node: x c s b n; VirtualNode: x c s b n v.
        Span<long> n = stackalloc long[6];
        int count = 0;
        var rest = id.AsSpan();
        while (!rest.IsEmpty)
        {
            int end = 1;
            while (end < rest.Length && char.IsAsciiDigit(rest[end]))
            {
                end++;
            }

            if (!long.TryParse(rest[1..end], NumberStyles.None, CultureInfo.InvariantCulture, out n[count++]))
            {
                return null; // more than 19 digits
            }

            rest = rest[end..];
        }

        long last = type == HmsType.Node ? n[4] : n[5];
        Int128 nid = ((Int128)n[0] + 1) * 16384 + (Int128)n[1] * 2048 + (Int128)n[2] * 32 + (Int128)n[3] * 4 + last;
        return nid <= long.MaxValue ? (long)nid : null;
    }

    // ---------------------------------------------------------------- internals

    /// <summary>Classifies an already-normalized id (§4.1; the patterns are mutually exclusive).</summary>
    private static HmsType Classify(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty)
        {
            return HmsType.INVALID;
        }

        switch (id[0])
        {
            case 'a':
                return id switch
                {
                    "all" => HmsType.All,
                    "all_comp" => HmsType.AllComp,
                    "all_svc" => HmsType.AllSvc,
                    _ => HmsType.INVALID,
                };
            case 'p': // pN or pN.N; the dot is literal (upstream's unescaped "." also accepted p1x2)
                var partition = id[1..];
                int dot = partition.IndexOf('.');
                bool ok = dot < 0
                    ? IsNumber(partition)
                    : IsNumber(partition[..dot]) && IsNumber(partition[(dot + 1)..]);
                return ok ? HmsType.Partition : HmsType.INVALID;
            case 's':
                if (id is "s0")
                {
                    return HmsType.System;
                }

                return id.StartsWith("sms") && IsNumber(id[3..]) ? HmsType.SMSBox : HmsType.INVALID;
            default:
                return WalkHierarchy(id);
        }
    }

    /// <summary>Matches letter+digits segments down <see cref="Root"/>; the last level reached is the type.</summary>
    private static HmsType WalkHierarchy(ReadOnlySpan<char> id)
    {
        var level = Root;
        int pos = 0;
        while (pos < id.Length)
        {
            var next = level.Child(id[pos]);
            if (next is null)
            {
                return HmsType.INVALID;
            }

            int start = ++pos;
            while (pos < id.Length && char.IsAsciiDigit(id[pos]))
            {
                pos++;
            }

            if (!next.Accepts(id[start..pos]))
            {
                return HmsType.INVALID;
            }

            level = next;
        }

        return level.Type;
    }

    private static bool IsNumber(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>§4.2 Parent derivation: strip trailing digits, then trailing letters.</summary>
    private static string StripLastSegment(string id)
    {
        int end = id.Length;
        while (end > 0 && char.IsAsciiDigit(id[end - 1]))
        {
            end--;
        }

        while (end > 0 && char.IsAsciiLetterLower(id[end - 1]))
        {
            end--;
        }

        return id[..end];
    }

    private static Level Seg(char letter, int min, int max, HmsType type, params Level[] children) =>
        new(letter, min, max, type, children);

    private static string DescribeTypes(HmsType[] types) =>
        types.Length == 1
            ? types[0].ToString()
            : string.Join(", ", types[..^1]) + " or " + types[^1];

    private static ChamiException InvalidXname(string? input) =>
        ChamiException.Invalid("InvalidXname", $"'{input}' is not a valid xname", input);

    /// <summary>One segment of the hierarchy: its letter, the allowed range of its number, the type it names.</summary>
    private sealed class Level(char letter, int min, int max, HmsType type, Level[] children)
    {
        public char Letter { get; } = letter;

        public HmsType Type { get; } = type;

        public Level? Child(char c)
        {
            foreach (var child in children)
            {
                if (child.Letter == c)
                {
                    return child;
                }
            }

            return null;
        }

        /// <summary>Digits are normalized, so the value alone decides; more than 9 digits only fits <see cref="Any"/>.</summary>
        public bool Accepts(ReadOnlySpan<char> digits)
        {
            if (digits.IsEmpty)
            {
                return false;
            }

            if (digits.Length > 9)
            {
                return max == Any;
            }

            int value = 0;
            foreach (char d in digits)
            {
                value = value * 10 + (d - '0');
            }

            return value >= min && value <= max;
        }
    }
}
