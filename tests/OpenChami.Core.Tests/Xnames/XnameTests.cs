using System.Text.RegularExpressions;
using OpenChami.Core.Errors;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Xnames;

public class XnameTests
{
    // ------------------------------------------------------------ §4.1 recognition table

    /// <summary>Every example of the §4.1 table with its parent type (null = "—").</summary>
    public static TheoryData<string, HmsType, HmsType?> TableExamples => new()
    {
        { "all", HmsType.All, null },
        { "all_comp", HmsType.AllComp, null },
        { "all_svc", HmsType.AllSvc, null },
        { "p1", HmsType.Partition, null },
        { "p1.2", HmsType.Partition, null },
        { "s0", HmsType.System, null },
        { "sms1", HmsType.SMSBox, null },
        { "d0", HmsType.CDU, HmsType.System },
        { "d0w1", HmsType.CDUMgmtSwitch, HmsType.CDU },
        { "x1000", HmsType.Cabinet, HmsType.System },
        { "x1000d1", HmsType.CabinetCDU, HmsType.Cabinet },
        { "x1000b0", HmsType.CabinetBMC, HmsType.Cabinet },
        { "x1000e0", HmsType.CEC, HmsType.Cabinet },
        { "x3000m0", HmsType.CabinetPDUController, HmsType.Cabinet },
        { "x3000m0p1", HmsType.CabinetPDU, HmsType.CabinetPDUController },
        { "x3000m0i1", HmsType.CabinetPDUNic, HmsType.CabinetPDUController },
        { "x3000m0p1j3", HmsType.CabinetPDUOutlet, HmsType.CabinetPDU },
        { "x3000m0p1v35", HmsType.CabinetPDUPowerConnector, HmsType.CabinetPDU },
        { "x1000c0", HmsType.Chassis, HmsType.Cabinet },
        { "x1000c0b0", HmsType.ChassisBMC, HmsType.Chassis },
        { "x1000c0b0i1", HmsType.ChassisBMCNic, HmsType.ChassisBMC },
        { "x1000c0f0", HmsType.CMMFpga, HmsType.Chassis },
        { "x1000c0t2", HmsType.CMMRectifier, HmsType.Chassis },
        { "x1000c0s7", HmsType.ComputeModule, HmsType.Chassis },
        { "x1000c0s7b0", HmsType.NodeBMC, HmsType.ComputeModule },
        { "x1000c0s7b0i1", HmsType.NodeBMCNic, HmsType.NodeBMC },
        // The table says NodeEnclosure; the parent derivation (strip f0) gives the BMC — documented note.
        { "x1000c0s7b0f0", HmsType.NodeFpga, HmsType.NodeBMC },
        { "x1000c0s7e0", HmsType.NodeEnclosure, HmsType.ComputeModule },
        { "x1000c0s7e0t1", HmsType.NodeEnclosurePowerSupply, HmsType.NodeEnclosure },
        { "x1000c0s7v1", HmsType.NodePowerConnector, HmsType.ComputeModule },
        { "x1000c0s7b0n0", HmsType.Node, HmsType.NodeBMC },
        { "x1000c0s7b0n0v2", HmsType.VirtualNode, HmsType.Node },
        { "x1000c0s7b0n0p1", HmsType.Processor, HmsType.Node },
        { "x1000c0s7b0n0d12", HmsType.Memory, HmsType.Node },
        { "x1000c0s7b0n0i0", HmsType.NodeNic, HmsType.Node },
        { "x1000c0s7b0n0h1", HmsType.NodeHsnNic, HmsType.Node },
        { "x1000c0s7b0n0a3", HmsType.NodeAccel, HmsType.Node },
        { "x1000c0s7b0n0r1", HmsType.NodeAccelRiser, HmsType.Node },
        { "x1000c0s7b0n0g0", HmsType.StorageGroup, HmsType.Node },
        { "x1000c0s7b0n0g0k3", HmsType.Drive, HmsType.StorageGroup },
        { "x1000c0r7", HmsType.RouterModule, HmsType.Chassis },
        { "x1000c0r7b0", HmsType.RouterBMC, HmsType.RouterModule },
        { "x1000c0r7b0i0", HmsType.RouterBMCNic, HmsType.RouterBMC },
        { "x1000c0r7f1", HmsType.RouterFpga, HmsType.RouterModule },
        { "x1000c0r7t0", HmsType.RouterTOR, HmsType.RouterModule },
        { "x1000c0r7t0f1", HmsType.RouterTORFpga, HmsType.RouterTOR },
        { "x1000c0r7v2", HmsType.RouterPowerConnector, HmsType.RouterModule },
        { "x1000c0r7e0", HmsType.HSNBoard, HmsType.RouterModule },
        { "x1000c0r7a0", HmsType.HSNAsic, HmsType.RouterModule },
        { "x1000c0r7a0l12", HmsType.HSNLink, HmsType.HSNAsic },
        { "x1000c0r7j16", HmsType.HSNConnector, HmsType.RouterModule },
        { "x1000c0r7j16p1", HmsType.HSNConnectorPort, HmsType.HSNConnector },
        { "x3000c0w14", HmsType.MgmtSwitch, HmsType.Chassis },
        { "x3000c0w14j48", HmsType.MgmtSwitchConnector, HmsType.MgmtSwitch },
        { "x3000c0h33", HmsType.MgmtHLSwitchEnclosure, HmsType.Chassis },
        { "x3000c0h33s1", HmsType.MgmtHLSwitch, HmsType.MgmtHLSwitchEnclosure },
    };

    [Theory]
    [MemberData(nameof(TableExamples))]
    public void TableExample_HasTypeAndParentType(string xname, HmsType type, HmsType? parentType)
    {
        Assert.Equal(type, Xname.GetHmsType(xname));
        Assert.True(Xname.TryParse(xname, out var normalized, out var parsedType));
        Assert.Equal(xname, normalized);
        Assert.Equal(type, parsedType);

        var parent = Xname.GetParent(xname);
        if (parentType is null)
        {
            Assert.Null(parent);
        }
        else
        {
            Assert.NotNull(parent);
            Assert.Equal(parentType, Xname.GetHmsType(parent));
            // The descendant rule is textual, so s0 (parent of cabinets and CDUs) is not a prefix of them.
            Assert.Equal(parentType != HmsType.System, Xname.IsDescendantOrSelf(xname, parent));
        }
    }

    [Fact]
    public void TableExamples_CoverEveryTypeButInvalid()
    {
        var covered = TableExamples.Select(row => (HmsType)row[1]).ToHashSet();
        var all = Enum.GetValues<HmsType>();
        Assert.Equal(56, all.Length);
        Assert.Equal(all.Where(t => t != HmsType.INVALID).ToHashSet(), covered);
    }

    /// <summary>The §4.1 patterns transcribed literally, as an independent oracle for the scanner.</summary>
    private static readonly (HmsType Type, Regex Pattern)[] SpecPatterns = BuildSpecPatterns();

    private static (HmsType, Regex)[] BuildSpecPatterns()
    {
        const string N = "[0-9]+", X = "[0-9]{1,4}", P = "[1-9][0-9]*";
        var rows = new (HmsType, string)[]
        {
            (HmsType.All, "all"), (HmsType.AllComp, "all_comp"), (HmsType.AllSvc, "all_svc"),
            (HmsType.Partition, $@"p{N}(\.{N})?"), (HmsType.System, "s0"), (HmsType.SMSBox, $"sms{N}"),
            (HmsType.CDU, $"d{N}"), (HmsType.CDUMgmtSwitch, $"d{N}w{N}"),
            (HmsType.Cabinet, $"x{X}"), (HmsType.CabinetCDU, $"x{X}d[0-1]"), (HmsType.CabinetBMC, $"x{X}b0"),
            (HmsType.CEC, $"x{X}e[0-1]"), (HmsType.CabinetPDUController, $"x{X}m[0-3]"),
            (HmsType.CabinetPDU, $"x{X}m[0-3]p[0-7]"), (HmsType.CabinetPDUNic, $"x{X}m[0-3]i[0-3]"),
            (HmsType.CabinetPDUOutlet, $"x{X}m[0-3]p[0-7]j{P}"), (HmsType.CabinetPDUPowerConnector, $"x{X}m[0-3]p[0-7]v{P}"),
            (HmsType.Chassis, $"x{X}c[0-7]"), (HmsType.ChassisBMC, $"x{X}c[0-7]b0"), (HmsType.ChassisBMCNic, $"x{X}c[0-7]b0i[0-3]"),
            (HmsType.CMMFpga, $"x{X}c[0-7]f0"), (HmsType.CMMRectifier, $"x{X}c[0-7]t[0-9]"),
            (HmsType.ComputeModule, $"x{X}c[0-7]s{N}"), (HmsType.NodeBMC, $"x{X}c[0-7]s{N}b{N}"),
            (HmsType.NodeBMCNic, $"x{X}c[0-7]s{N}b{N}i[0-3]"), (HmsType.NodeFpga, $"x{X}c[0-7]s{N}b{N}f0"),
            (HmsType.NodeEnclosure, $"x{X}c[0-7]s{N}e{N}"), (HmsType.NodeEnclosurePowerSupply, $"x{X}c[0-7]s{N}e{N}t{N}"),
            (HmsType.NodePowerConnector, $"x{X}c[0-7]s{N}[jv][1-2]"), (HmsType.Node, $"x{X}c[0-7]s{N}b{N}n{N}"),
            (HmsType.VirtualNode, $"x{X}c[0-7]s{N}b{N}n{N}v{N}"), (HmsType.Processor, $"x{X}c[0-7]s{N}b{N}n{N}p[0-3]"),
            (HmsType.Memory, $"x{X}c[0-7]s{N}b{N}n{N}d{N}"), (HmsType.NodeNic, $"x{X}c[0-7]s{N}b{N}n{N}i[0-3]"),
            (HmsType.NodeHsnNic, $"x{X}c[0-7]s{N}b{N}n{N}h[0-3]"), (HmsType.NodeAccel, $"x{X}c[0-7]s{N}b{N}n{N}a{N}"),
            (HmsType.NodeAccelRiser, $"x{X}c[0-7]s{N}b{N}n{N}r[0-7]"), (HmsType.StorageGroup, $"x{X}c[0-7]s{N}b{N}n{N}g{N}"),
            (HmsType.Drive, $"x{X}c[0-7]s{N}b{N}n{N}g{N}k{N}"),
            (HmsType.RouterModule, $"x{X}c[0-7]r{N}"), (HmsType.RouterBMC, $"x{X}c[0-7]r{N}b{N}"),
            (HmsType.RouterBMCNic, $"x{X}c[0-7]r{N}b{N}i[0-3]"), (HmsType.RouterFpga, $"x{X}c[0-7]r{N}f[0-1]"),
            (HmsType.RouterTOR, $"x{X}c[0-7]r{N}t{N}"), (HmsType.RouterTORFpga, $"x{X}c[0-7]r{N}t{N}f[0-1]"),
            (HmsType.RouterPowerConnector, $"x{X}c[0-7]r{N}v[1-2]"), (HmsType.HSNBoard, $"x{X}c[0-7]r{N}e{N}"),
            (HmsType.HSNAsic, $"x{X}c[0-7]r{N}a[0-3]"), (HmsType.HSNLink, $"x{X}c[0-7]r{N}a[0-3]l{N}"),
            (HmsType.HSNConnector, $"x{X}c[0-7]r{N}j{P}"), (HmsType.HSNConnectorPort, $"x{X}c[0-7]r{N}j{P}p[0-2]"),
            (HmsType.MgmtSwitch, $"x{X}c[0-7]w{P}"), (HmsType.MgmtSwitchConnector, $"x{X}c[0-7]w{P}j{P}"),
            (HmsType.MgmtHLSwitchEnclosure, $"x{X}c[0-7]h{P}"), (HmsType.MgmtHLSwitch, $"x{X}c[0-7]h{P}s[1-9]"),
        };
        return rows.Select(r => (r.Item1, new Regex($@"\A(?:{r.Item2})\z", RegexOptions.CultureInvariant))).ToArray();
    }

    private static HmsType OracleType(string input)
    {
        var id = Xname.Normalize(input);
        var matches = SpecPatterns.Where(p => p.Pattern.IsMatch(id)).Select(p => p.Type).ToList();
        Assert.True(matches.Count <= 1, $"'{id}' matches {string.Join(", ", matches)}");
        return matches.Count == 1 ? matches[0] : HmsType.INVALID;
    }

    [Fact]
    public void SpecPatterns_CoverEveryTypeButInvalid()
    {
        Assert.Equal(55, SpecPatterns.Length);
        Assert.Equal(55, SpecPatterns.Select(p => p.Type).Distinct().Count());
    }

    /// <summary>
    /// Random ids near the grammar (mutated table examples and free letter/number chains): the scanner
    /// must agree with the literal regexes on every one.
    /// </summary>
    [Fact]
    public void Scanner_AgreesWithSpecPatterns_OnGeneratedIds()
    {
        var random = new Random(4242);
        var examples = TableExamples.Select(row => (string)row[0]).ToArray();
        string[] heads = ["x", "d", "s", "p", "sms", "all", "X", "", "x0", "x00"];
        const string letters = "xcsbnvpdihargkrtfjwlemoS._";
        string[] numbers = ["0", "1", "2", "3", "4", "7", "8", "9", "10", "16", "01", "007", "999", "1000", "9999", "10000", "12345678901", ""];
        string Letter() => letters[random.Next(letters.Length)].ToString();
        string Number() => numbers[random.Next(numbers.Length)];

        var seen = new HashSet<HmsType>();
        for (int i = 0; i < 20000; i++)
        {
            var parts = new List<string>();
            if (i % 4 == 0)
            {
                parts.Add(heads[random.Next(heads.Length)]);
                parts.Add(Number());
                for (int j = random.Next(0, 7); j > 0; j--)
                {
                    parts.Add(Letter());
                    parts.Add(Number());
                }
            }
            else
            {
                parts.AddRange(Regex.Split(examples[random.Next(examples.Length)], "([0-9]+)").Where(p => p.Length > 0));
                for (int m = random.Next(1, 3); m > 0; m--)
                {
                    int k = random.Next(parts.Count);
                    switch (random.Next(4))
                    {
                        case 0: parts[k] = parts[k].Length > 0 && char.IsAsciiDigit(parts[k][0]) ? Number() : Letter(); break;
                        case 1: parts.Add(Letter()); parts.Add(Number()); break;
                        case 2: if (parts.Count > 2) { parts.RemoveRange(parts.Count - 2, 2); } break;
                        default: parts[k] = parts[k].ToUpperInvariant(); break;
                    }
                }
            }

            var input = string.Concat(parts);
            var expected = OracleType(input);
            Assert.True(expected == Xname.GetHmsType(input), $"'{input}': expected {expected}, got {Xname.GetHmsType(input)}");
            seen.Add(expected);
        }

        // The corpus must exercise the valid paths too, not only rejections.
        Assert.Equal(Enum.GetValues<HmsType>().Length, seen.Count);
    }

    [Fact]
    public void NodePowerConnector_AcceptsDeprecatedJ()
    {
        Assert.Equal(HmsType.NodePowerConnector, Xname.GetHmsType("x1000c0s7j1"));
        Assert.Equal(HmsType.NodePowerConnector, Xname.GetHmsType("x1000c0s7j2"));
    }

    // ------------------------------------------------------------ §4.3 examples

    [Theory]
    [InlineData("s0", HmsType.System)] // 1
    [InlineData("x0", HmsType.Cabinet)] // 3
    [InlineData("x9999", HmsType.Cabinet)] // 4
    [InlineData("x00001c0", HmsType.Chassis)] // 6
    [InlineData("x1025c7s4b4", HmsType.NodeBMC)] // 8
    [InlineData("x1000c0s0b0n0", HmsType.Node)] // 9
    [InlineData("X1000C0S0B0N0", HmsType.Node)] // 10
    [InlineData("x1000c0s0b0n0v0", HmsType.VirtualNode)] // 11
    [InlineData("x0c0s4b1n1v01", HmsType.VirtualNode)] // 12
    [InlineData("x0c0s0b999", HmsType.NodeBMC)] // 13
    [InlineData("x0c7", HmsType.Chassis)] // 15
    [InlineData("x0b0", HmsType.CabinetBMC)] // 18
    [InlineData("x0c0b0", HmsType.ChassisBMC)] // 19
    [InlineData("x0m3", HmsType.CabinetPDUController)] // 20
    [InlineData("x0d1", HmsType.CabinetCDU)] // 21
    [InlineData("x0m0p0j1", HmsType.CabinetPDUOutlet)] // 22
    [InlineData("x3000m0p1v35", HmsType.CabinetPDUPowerConnector)] // 23
    [InlineData("x1c0w1", HmsType.MgmtSwitch)] // 24
    [InlineData("x1c0h1s2", HmsType.MgmtHLSwitch)] // 25
    [InlineData("x0c0s4v2", HmsType.NodePowerConnector)] // 26
    [InlineData("x0c0r0t0f1", HmsType.RouterTORFpga)] // 27
    [InlineData("x0c0r0v2", HmsType.RouterPowerConnector)] // 28
    [InlineData("x0c0s0b0n0p3", HmsType.Processor)] // 29
    [InlineData("x0c0s0b0n0r7", HmsType.NodeAccelRiser)] // 31
    [InlineData("d0w0", HmsType.CDUMgmtSwitch)] // 32
    [InlineData("d0w30", HmsType.CDUMgmtSwitch)] // 32
    [InlineData("x16c3r4j7p0", HmsType.HSNConnectorPort)] // 33
    [InlineData("x0c0r1a0l64", HmsType.HSNLink)] // 34
    [InlineData("x16c2s3b0n1g1k1", HmsType.Drive)] // 35
    [InlineData("p0.0", HmsType.Partition)] // 36
    [InlineData("p98", HmsType.Partition)] // 36
    [InlineData("sms1", HmsType.SMSBox)] // 37
    [InlineData("all", HmsType.All)] // 37
    [InlineData("all_comp", HmsType.AllComp)] // 37
    [InlineData("all_svc", HmsType.AllSvc)] // 37
    [InlineData("x5506c0s172b104", HmsType.NodeBMC)] // 38
    [InlineData("x0c0s0b0n0d10", HmsType.Memory)] // 40
    public void SpecExample_Valid(string input, HmsType type)
    {
        Assert.True(Xname.IsValid(input));
        Assert.Equal(type, Xname.GetHmsType(input));
    }

    [Theory]
    [InlineData("s1")] // 2: only s0 exists
    [InlineData("x10000")] // 5: 5-digit cabinet
    [InlineData("x1025000c7s4b4")] // 7: 7-digit cabinet
    [InlineData("x0c8")] // 14: chassis 0-7
    [InlineData("0c0s27b0n0")] // 16: missing x
    [InlineData("FAKE")] // 17
    [InlineData("foo")] // 17
    [InlineData("")] // 17
    [InlineData("x0b1")] // 18: CabinetBMC index must be 0
    [InlineData("x0c0b1")] // 19: ChassisBMC index must be 0
    [InlineData("x0m4")] // 20: PDU controller 0-3
    [InlineData("x0d2")] // 21: CabinetCDU 0-1
    [InlineData("x0m0p0j0")] // 22: outlets start at 1
    [InlineData("x1c0w0")] // 24: MgmtSwitch starts at 1
    [InlineData("x1c0h0s2")] // 25: h >= 1
    [InlineData("x1c0h1s0")] // 25: s 1-9
    [InlineData("x0c0s4j4")] // 26: NodePowerConnector 1-2
    [InlineData("x0c0r0t0f2")] // 27: TOR FPGA 0-1
    [InlineData("x0c0r0v3")] // 28: RouterPowerConnector 1-2
    [InlineData("x0c0s0b0n0p4")] // 29: Processor 0-3
    [InlineData("x0c0s0b0n0i4")] // 30: NodeNic 0-3
    [InlineData("x0c0s0b0n0r8")] // 31: NodeAccelRiser 0-7
    [InlineData("x16c3r4j7p3")] // 33: HSNConnectorPort 0-2
    [InlineData("p1x2")] // 36: the partition dot is literal
    [InlineData("all_")] // 37
    [InlineData("x9999999c7s9b9")] // 39: cabinet too long
    public void SpecExample_Invalid(string input)
    {
        Assert.False(Xname.IsValid(input));
        Assert.Equal(HmsType.INVALID, Xname.GetHmsType(input));
        Assert.False(Xname.TryParse(input, out var normalized, out var type));
        Assert.Equal("", normalized);
        Assert.Equal(HmsType.INVALID, type);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("x")] // letter without number
    [InlineData("x1c")]
    [InlineData("x1c0s")]
    [InlineData("xc0")]
    [InlineData("x1C0 s0")] // inner whitespace
    [InlineData("x1-c0")]
    [InlineData("x1c0s0b0n0n0")] // segment out of place
    [InlineData("x1c0s0b0x1")]
    [InlineData("p")]
    [InlineData("p1.")]
    [InlineData("p.1")]
    [InlineData("p1.2.3")]
    [InlineData("sms")]
    [InlineData("smsx")]
    [InlineData("s00x")]
    [InlineData("ALL_COMPX")]
    [InlineData("d")]
    [InlineData("dw1")]
    [InlineData("x1000c0s0b0n99999999999999999999i4")] // huge unbounded number is fine, i4 is not
    public void MalformedInput_IsInvalid(string? input)
    {
        Assert.False(Xname.IsValid(input));
    }

    // ------------------------------------------------------------ normalization

    [Theory]
    [InlineData("X0001C0S05B0N00", "x1c0s5b0n0")]
    [InlineData("x0c0s4b1n1v01", "x0c0s4b1n1v1")] // §4.3 #12
    [InlineData("x00001c0", "x1c0")] // §4.3 #6
    [InlineData("  x1000c0s0b0n0  ", "x1000c0s0b0n0")]
    [InlineData("\tx1000c0s0b0n0\t", "x1000c0s0b0n0")]
    [InlineData("x0", "x0")] // a lone 0 stays
    [InlineData("x000", "x0")]
    [InlineData("00c", "0c")] // first char: leading zeros of the first number too
    [InlineData("P001.010", "p1.10")]
    [InlineData("SMS007", "sms7")]
    [InlineData("ALL_Comp", "all_comp")]
    [InlineData("x1000C0s100", "x1000c0s100")] // trailing zeros are not leading zeros
    [InlineData("FAKE", "fake")] // invalid ids normalize too
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_StripsLeadingZerosTrimsAndLowerCases(string? input, string expected)
    {
        Assert.Equal(expected, Xname.Normalize(input));
    }

    [Fact]
    public void Normalize_ReturnsSameInstance_WhenAlreadyNormalized()
    {
        var id = string.Concat("x1000c0s0", "b0n0");
        Assert.Same(id, Xname.Normalize(id));
    }

    [Fact]
    public void Normalize_HandlesLongInput()
    {
        var input = "X" + new string('0', 500) + "1C0";
        Assert.Equal("x1c0", Xname.Normalize(input));
        Assert.Equal("x1c0", Xname.Parse(input));
    }

    [Theory]
    [InlineData("X0001C0S05B0N00", "x1c0s5b0n0", HmsType.Node)]
    [InlineData("  X1000c0s0B0N0 ", "x1000c0s0b0n0", HmsType.Node)]
    [InlineData("x0c0s4b1n1v01", "x0c0s4b1n1v1", HmsType.VirtualNode)]
    [InlineData("x0c0s0b0n0p03", "x0c0s0b0n0p3", HmsType.Processor)] // ranges apply after normalization
    [InlineData("x01000", "x1000", HmsType.Cabinet)] // 5 characters, 4 digits once normalized
    public void TryParse_ReturnsNormalizedIdAndType(string input, string expected, HmsType expectedType)
    {
        Assert.True(Xname.TryParse(input, out var normalized, out var type));
        Assert.Equal(expected, normalized);
        Assert.Equal(expectedType, type);
    }

    [Theory]
    [InlineData("x1000c0s0b0n0\n")]
    [InlineData("x1000c0s0b0n0\r\n")]
    [InlineData("x1000c0s0b0n0\r")]
    [InlineData("\nx1000c0s0b0n0")]
    [InlineData("s0\n")]
    [InlineData("p1\n")]
    [InlineData("all\n")]
    public void LineBreaks_AreRejected(string input)
    {
        Assert.False(Xname.IsValid(input));
        Assert.Throws<ChamiException>(() => Xname.Parse(input));
    }

    [Theory]
    [InlineData("x\u0661c0")] // ARABIC-INDIC DIGIT ONE
    [InlineData("x1c\u0660")] // ARABIC-INDIC DIGIT ZERO
    [InlineData("x\uFF11c0")] // FULLWIDTH DIGIT ONE
    [InlineData("x1c0s\u0967")] // DEVANAGARI DIGIT ONE
    [InlineData("x1000c0s0b0n0g0\u212A1")] // KELVIN SIGN lower-cases to 'k' in Unicode; must not become a Drive
    [InlineData("\u0130")] // LATIN CAPITAL I WITH DOT
    [InlineData("x1000c0s0b0n0\u00A0")] // NO-BREAK SPACE is not trimmed
    public void NonAscii_IsRejected(string input)
    {
        Assert.False(Xname.IsValid(input));
    }

    // ------------------------------------------------------------ Parse and errors

    [Fact]
    public void Parse_ReturnsNormalizedId()
    {
        Assert.Equal("x1c0s5b0n0", Xname.Parse("X0001C0S05B0N00"));
    }

    [Theory]
    [InlineData("FAKE")]
    [InlineData("x1000c0s0b0n0\n")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_Invalid_ThrowsInvalidXname(string? input)
    {
        var ex = Assert.Throws<ChamiException>(() => Xname.Parse(input));
        Assert.Equal("InvalidXname", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"'{input}' is not a valid xname", ex.Message);
        Assert.Equal(input, ex.Target);
    }

    [Fact]
    public void ParseAllowed_ReturnsId_WhenTypeAllowed()
    {
        Assert.Equal("x1000c0s0b0n0", Xname.Parse("X1000C0S0B0N0", HmsType.Node));
        Assert.Equal("x1000c0s0b0n0v1", Xname.Parse("x1000c0s0b0n0v01", HmsType.Node, HmsType.VirtualNode));
    }

    [Fact]
    public void ParseAllowed_WrongType_ThrowsInvalidXnameType()
    {
        var ex = Assert.Throws<ChamiException>(() => Xname.Parse("X1000C0S0B0", HmsType.Node, HmsType.VirtualNode));
        Assert.Equal("InvalidXnameType", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("xname 'x1000c0s0b0' is a NodeBMC, expected Node or VirtualNode", ex.Message);
        Assert.Equal("x1000c0s0b0", ex.Target);
    }

    [Fact]
    public void ParseAllowed_MessageListsTypes()
    {
        var one = Assert.Throws<ChamiException>(() => Xname.Parse("s0", HmsType.Node));
        Assert.Equal("xname 's0' is a System, expected Node", one.Message);

        var three = Assert.Throws<ChamiException>(() => Xname.Parse("x1", HmsType.Node, HmsType.VirtualNode, HmsType.NodeBMC));
        Assert.Equal("xname 'x1' is a Cabinet, expected Node, VirtualNode or NodeBMC", three.Message);
    }

    [Fact]
    public void ParseAllowed_InvalidXname_ThrowsInvalidXnameFirst()
    {
        var ex = Assert.Throws<ChamiException>(() => Xname.Parse("bogus", HmsType.Node));
        Assert.Equal("InvalidXname", ex.ErrorId);
    }

    [Fact]
    public void ParseAllowed_EmptyList_IsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() => Xname.Parse("x1", Array.Empty<HmsType>()));
    }

    // ------------------------------------------------------------ parent

    [Theory]
    [InlineData("x1000c0s7b0n0", "x1000c0s7b0")]
    [InlineData("x3000m0p1v35", "x3000m0p1")]
    [InlineData("x1000", "s0")]
    [InlineData("d0", "s0")]
    [InlineData("d3w1", "d3")]
    [InlineData("x1000c0", "x1000")]
    [InlineData("X1000C0S07B00N0", "x1000c0s7b0")] // normalized first
    [InlineData("x1000c0s7b0n0g0k3", "x1000c0s7b0n0g0")]
    [InlineData("x1000c0s7b0f0", "x1000c0s7b0")] // NodeFpga: derivation gives the BMC
    public void GetParent_ReturnsNormalizedParent(string xname, string parent)
    {
        Assert.Equal(parent, Xname.GetParent(xname));
    }

    [Theory]
    [InlineData("s0")]
    [InlineData("sms1")]
    [InlineData("all")]
    [InlineData("all_comp")]
    [InlineData("all_svc")]
    [InlineData("p1")]
    [InlineData("p1.2")]
    [InlineData("FAKE")]
    public void GetParent_IsNull_ForRootsSpecialsAndInvalid(string xname)
    {
        Assert.Null(Xname.GetParent(xname));
    }

    // ------------------------------------------------------------ descendants

    [Theory]
    [InlineData("x1000c0s0b0n0", "x1000", true)]
    [InlineData("x1000c0s0b0n0", "x1000c0s0b0", true)]
    [InlineData("x1000c0s0b0n0", "x1000c0s0b0n0", true)] // self
    [InlineData("X1000C0S0B0N0", "x1000c0", true)] // both normalized
    [InlineData("x1000c0s0b0n0", "X01000C0", true)]
    [InlineData("x10000c0", "x1000", false)] // invalid candidate (and a digit follows)
    [InlineData("x1000c0s10b0", "x1000c0s1", false)] // s10 is not under s1
    [InlineData("x1000c0s1b0", "x1000c0s1", true)]
    [InlineData("x1000", "x1000c0", false)] // ancestor is not a descendant
    [InlineData("x1001c0", "x1000", false)]
    [InlineData("d0w1", "d0", true)]
    [InlineData("p1.2", "p1", false)]
    [InlineData("all_comp", "all", false)]
    [InlineData("x1000", "", false)]
    [InlineData("FAKE", "FAKE", false)]
    public void IsDescendantOrSelf_FollowsTextualRule(string candidate, string ancestor, bool expected)
    {
        Assert.Equal(expected, Xname.IsDescendantOrSelf(candidate, ancestor));
    }

    // ------------------------------------------------------------ node → BMC

    [Theory]
    [InlineData("x1000c0s0b3n0", "x1000c0s0b3")]
    [InlineData("X1000C0S0B3N12", "x1000c0s0b3")]
    [InlineData("x1c0s0b0n0", "x1c0s0b0")]
    public void GetNodeBmc_StripsNodeSegment(string node, string bmc)
    {
        Assert.Equal(bmc, Xname.GetNodeBmc(node));
    }

    [Theory]
    [InlineData("x1000c0s0b3")] // NodeBMC
    [InlineData("x1000c0s0b3n0v1")] // VirtualNode
    [InlineData("x1000c0s0b3n0p0")] // Processor
    [InlineData("FAKE")]
    public void GetNodeBmc_IsNull_ForNonNodes(string xname)
    {
        Assert.Null(Xname.GetNodeBmc(xname));
    }

    // ------------------------------------------------------------ type names

    [Theory]
    [InlineData("Node", HmsType.Node)]
    [InlineData("node", HmsType.Node)]
    [InlineData("NODEBMC", HmsType.NodeBMC)]
    [InlineData("allcomp", HmsType.AllComp)]
    [InlineData("cabinetpduoutlet", HmsType.CabinetPDUOutlet)]
    [InlineData("hsnconnectorport", HmsType.HSNConnectorPort)]
    [InlineData("INVALID", HmsType.INVALID)]
    public void ParseTypeName_IsCaseInsensitive(string name, HmsType expected)
    {
        Assert.Equal(expected, Xname.ParseTypeName(name));
        Assert.True(Xname.TryParseTypeName(name, out var type));
        Assert.Equal(expected, type);
    }

    [Fact]
    public void ParseTypeName_AcceptsEveryWireName()
    {
        foreach (var type in Enum.GetValues<HmsType>())
        {
            Assert.Equal(type, Xname.ParseTypeName(type.ToString()));
            Assert.Equal(type, Xname.ParseTypeName(type.ToString().ToUpperInvariant()));
        }
    }

    [Theory]
    [InlineData("Nodes")]
    [InlineData("all_comp")] // the xname, not the type name
    [InlineData("30")] // Enum.Parse would accept the number
    [InlineData("Node,NodeBMC")] // ... and comma lists
    [InlineData(" Node")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseTypeName_Invalid_Throws(string? name)
    {
        Assert.False(Xname.TryParseTypeName(name, out var type));
        Assert.Equal(HmsType.INVALID, type);
        var ex = Assert.Throws<ChamiException>(() => Xname.ParseTypeName(name));
        Assert.Equal("InvalidHmsType", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal($"'{name}' is not a valid HMS type", ex.Message);
    }

    // ------------------------------------------------------------ NID (§6)

    [Theory]
    [InlineData("x1000c0s0b0n0", 16400384L)] // §6 example
    [InlineData("X1000C0S0B0N0", 16400384L)]
    [InlineData("x0c0s0b0n0", 16384L)]
    [InlineData("x0c0s0b0n1", 16385L)]
    [InlineData("x0c0s0b1n0", 16388L)]
    [InlineData("x0c0s1b0n0", 16416L)]
    [InlineData("x0c1s0b0n0", 18432L)]
    [InlineData("x1c0s0b0n0", 32768L)]
    [InlineData("x3c7s5b1n3", 4 * 16384L + 7 * 2048 + 5 * 32 + 1 * 4 + 3)]
    [InlineData("x0c0s0b0n0v2", 16386L)] // VirtualNode: v index is the last term
    [InlineData("x1000c0s0b0n1v3", 16400387L)]
    public void ComputeNid_FollowsDefaultRule(string xname, long expected)
    {
        Assert.Equal(expected, Xname.ComputeNid(xname));
    }

    [Theory]
    [InlineData("x1000c0s0b0")]
    [InlineData("x1000c0s0b0n0p0")]
    [InlineData("s0")]
    [InlineData("FAKE")]
    [InlineData("x0c0s0b0n99999999999999999999")] // does not fit a long
    [InlineData("x0c0s999999999999999999b0n0")] // slot*32 overflows
    public void ComputeNid_IsNull_WhenNotComputable(string xname)
    {
        Assert.Null(Xname.ComputeNid(xname));
    }

    [Fact]
    public void ComputeNid_LargestLong_StillComputes()
    {
        // node term alone may be as large as long.MaxValue - 16384.
        long node = long.MaxValue - 16384;
        Assert.Equal(long.MaxValue, Xname.ComputeNid($"x0c0s0b0n{node}"));
        Assert.Null(Xname.ComputeNid($"x0c0s0b0n{node + 1}"));
    }
}
