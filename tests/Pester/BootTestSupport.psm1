# Seeds many nodes fast for boot tests and the boot bench (bench/BootStorm.Bench.ps1 imports this file). New-ChamiNode is one transaction per node
# (right for operators, slow for fixtures of 10,000), so fixtures write components, NICs and one
# group document straight into the store in ONE transaction through compiled code.
Set-StrictMode -Version Latest

$coreAssembly = [OpenChami.Core.Model.Component].Assembly
if (-not ('OpenChamiTests.BootSeed' -as [type])) {
    Add-Type -ReferencedAssemblies $coreAssembly.Location, 'System.Collections', 'System.Linq', 'System.Runtime' -TypeDefinition @'
using System;
using System.Collections.Generic;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChamiTests
{
    public static class BootSeed
    {
        public static string XnameOf(int i) => $"x{1000 + i / 4096}c{i / 512 % 8}s{i / 8 % 64}b0n{i % 8}";

        public static string MacOf(int i) => $"52:54:{(i >> 24) & 255:x2}:{(i >> 16) & 255:x2}:{(i >> 8) & 255:x2}:{i & 255:x2}";

        public static void Seed(IChamiStore store, int count, string group)
        {
            store.Write(s =>
            {
                var components = s.Collection<Component>();
                var nics = s.Collection<EthernetInterface>();
                var ids = new List<string>(count);
                var now = DateTime.UtcNow;
                for (var i = 0; i < count; i++)
                {
                    var xname = XnameOf(i);
                    var mac = MacOf(i);
                    components.Insert(new Component { ID = xname, Type = HmsType.Node, State = HmsState.On, Flag = HmsFlag.OK, Enabled = true, Role = "Compute", NID = i + 1 });
                    nics.Insert(new EthernetInterface { ID = mac.Replace(":", ""), MACAddress = mac, ComponentID = xname, Type = "Node", LastUpdate = now, Description = "seeded" });
                    ids.Add(xname);
                }
                // Members are their own documents since schema 4 (Group.Members is not stored): one per (group, node).
                s.Collection<Group>().Insert(new Group { Label = group, Description = "seeded" });
                s.Collection<GroupMember>().InsertMany(ids.ConvertAll(id => GroupMember.Added(group, id)));
                return true;
            });
        }
    }
}
'@
}

function Add-ChamiTestNodes {
    <# Registers nodes x1000c0s0b0n0... with NIDs 1..Count, one MAC each (52:54:<i as 4 bytes>), role Compute, all in -Group. #>
    param([int] $Count, [string] $Group = 'compute')
    [OpenChamiTests.BootSeed]::Seed([OpenChami.PowerShell.Infrastructure.ChamiSession]::Current.Store, $Count, $Group)
}

function Get-ChamiTestXname([int] $Index) { [OpenChamiTests.BootSeed]::XnameOf($Index) }

function Get-ChamiTestMac([int] $Index) { [OpenChamiTests.BootSeed]::MacOf($Index) }

Export-ModuleMember -Function Add-ChamiTestNodes, Get-ChamiTestXname, Get-ChamiTestMac
