using OpenChami.Core.Inventory;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Boot;

/// <summary>The spec's §3.1/§5.6 example values and a node registered like ochami would.</summary>
internal static class BssTestData
{
    public const string Xname = "x1000c0s0b0n0";
    public const string Mac = "52:54:00:be:ef:01";
    public const string Mac2 = "52:54:00:be:ef:02";
    public const string Kernel = "http://172.16.0.254:9000/boot-images/efi-images/compute/base/vmlinuz";
    public const string Initrd = "http://172.16.0.254:9000/boot-images/efi-images/compute/base/initramfs.img";
    public const string Params = "nomodeset ro root=live:http://172.16.0.254:9000/boot-images/compute/base/rocky9 ip=dhcp console=ttyS0,115200 ds=nocloud-net;s=http://172.16.0.254:8081/cloud-init";

    public static void AddNode(TestServer server, string xname = Xname, long nid = 1, string mac = Mac, string role = "Compute", params string[] groups) =>
        server.Services.Nodes.Create(new NewNodeRequest { Xname = xname, Nid = nid, Role = role, MacAddress = [mac], Group = groups });

    /// <summary>A distinct valid node xname for any i (8 nodes per slot, 64 slots per chassis, 8 chassis per cabinet).</summary>
    public static string XnameOf(int i) => $"x{1000 + i / 4096}c{i / 512 % 8}s{i / 8 % 64}b0n{i % 8}";

    public static string Json(object body) => Serialization.ChamiJson.Serialize(body);
}
