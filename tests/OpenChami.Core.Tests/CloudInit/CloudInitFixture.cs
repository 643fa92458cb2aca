using System.Net;
using System.Net.Sockets;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Inventory;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.CloudInit;

/// <summary>Shared set-up for the cloud-init tests: the spec §5.1 example cluster.</summary>
internal static class CloudInitFixture
{
    public const string NodeA = "x1000c0s0b0n0";
    public const string NodeB = "x1000c0s1b0n0";
    public const string IpA = "172.16.0.1";
    public const string IpB = "172.16.0.2";
    public const string HeadKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHeadKey root@head";

    public const string ComputeConfig = "## template: jinja\n#cloud-config\nmerge_how:\n- name: list\n  settings: [append]\n- name: dict\n  settings: [no_replace, recurse_list]\nusers:\n  - name: root\n    ssh_authorized_keys: {{ ds.meta_data.instance_data.v1.public_keys }}\n";

    /// <summary>Node A (NID 1, compute + slurm), node B (NID 2, io), defaults of spec §4.2.</summary>
    public static void Populate(ChamiServices services, string? baseUrl = "http://172.16.0.254:8081/cloud-init")
    {
        services.Nodes.Create(new NewNodeRequest { Xname = NodeA, Nid = 1, MacAddress = ["52:54:00:00:00:01"], IPAddress = [IpA], Group = ["compute", "slurm"] });
        services.Nodes.Create(new NewNodeRequest { Xname = NodeB, Nid = 2, MacAddress = ["52:54:00:00:00:02"], IPAddress = [IpB], Group = ["io"] });
        services.CloudInit.ReplaceDefaults(new ClusterDefaults
        {
            BaseUrl = baseUrl,
            ClusterName = "demo",
            NidLength = 3,
            PublicKeys = [HeadKey],
            ShortName = "nid",
        });
        services.CloudInit.CreateGroup(new CloudInitGroup
        {
            Name = "compute",
            Description = "compute group cloud-config template",
            MetaData = new System.Text.Json.Nodes.JsonObject { ["syslog_aggregator"] = "172.16.0.254" },
            File = new CloudInitFile { Content = ComputeConfig },
        });
        services.CloudInit.CreateGroup(new CloudInitGroup
        {
            Name = "io",
            Description = "secret io config",
            File = new CloudInitFile { Content = "#cloud-config\nwrite_files:\n- path: /etc/io-secret\n  content: only-for-io\n" },
        });
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (e.g. 127.0.0.2: loopback, but not a trusted proxy).</summary>
    public static HttpClient ClientFrom(TestServer server, IPAddress source) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = new Uri(server.Server.Url), Timeout = TimeSpan.FromSeconds(30) };

    public static HttpRequestMessage Get(string path, string? forwardedFor = null, string? realIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        if (realIp is not null) request.Headers.TryAddWithoutValidation("X-Real-IP", realIp);
        return request;
    }

    public static async Task<(int Status, string Body, string? ContentType)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }
}
