using OpenChami.Core.Boot;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

public sealed class CloudInitSeedTests
{
    private sealed class PerNodeSeeds : ICloudInitSeedProvider
    {
        public string? GetSeedUrl(CloudInitSeedRequest request) =>
            request.Xname is null ? null : $"{request.CloudInitBaseUrl}/n/token-for-{request.Xname}/";
    }

    [Fact]
    public async Task The_seed_url_comes_from_the_one_provider_and_settings_apply()
    {
        await using var server = await TestServer.StartAsync();
        AddNode(server);
        await server.SendJsonAsync(HttpMethod.Put, "/boot/v1/bootparameters", Json(new { hosts = new[] { "Default" }, kernel = "http://k/v" }));
        server.Services.BootScripts.Options = BootOptions.FromEnvironment(name => name switch
        {
            "BSS_IPXE_SERVER" => "boot.example:8081",
            "BSS_ADVERTISE_ADDRESS" => "http://ci.example/cloud-init/",
            "BSS_RETRY_DELAY" => "7",
            _ => null,
        });
        server.Services.BootScripts.SeedProvider = new PerNodeSeeds();

        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}");
        Assert.Contains(" ds=nocloud-net;s=http://ci.example/cloud-init/n/token-for-x1000c0s0b0n0/ || goto boot_retry\n", script);
        Assert.EndsWith("sleep 7\nchain http://boot.example:8081/boot/v1/bootscript?mac=52:54:00:be:ef:01&retry=1\n\n", script);
    }
}
