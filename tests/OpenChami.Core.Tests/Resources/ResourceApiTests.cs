using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenChami.Core.Errors;
using OpenChami.Core.Http;
using OpenChami.Core.Http.Resources;
using OpenChami.Core.Resources;
using OpenChami.Core.Serialization;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Resources;

/// <summary>A kind with no model of its own, as metadata-service's WireGuard peers are.</summary>
public sealed class TestPeerSpec : IValidatedSpec
{
    [JsonPropertyName("publicKey")]
    public string PublicKey { get; set; } = string.Empty;

    [JsonPropertyName("allowedIPs")]
    public List<string> AllowedIps { get; set; } = [];

    public void Validate()
    {
        if (PublicKey.Length == 0) throw ChamiException.Invalid("PublicKeyRequired", "spec.publicKey is required");
    }
}

/// <summary>
/// The generic resource routes on a real Kestrel listener (127.0.0.1:0) over the real store of the backend under
/// test, behind the server's real pipeline: what ochami's Go client sends (empty uid, zero times) and what it expects back (spec/boot-service.md §2).
/// </summary>
public sealed class ResourceApiTests : IAsyncLifetime
{
    private static readonly ResourceKind PeerKind = new("TestPeer", "test.openchami.io/v1", "testpeers");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private WebApplication app = null!;
    private HttpClient client = null!;
    private ChamiServices services = null!;

    public async Task InitializeAsync()
    {
        services = new ChamiServices(TestStores.Create());
        var service = new StoredResourceService<TestPeerSpec>(services.Store, PeerKind, clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(new ChamiServerOptions { Port = 0 });
        builder.Services.ConfigureHttpJsonOptions(o => ChamiJson.Apply(o.SerializerOptions));
        app = builder.Build();
        ChamiPipeline.Configure(app); // the server's own error mapping and path rules
        app.MapResourceServiceGroup("/test-service", "test-service").MapResources("test-service", PeerKind, _ => service);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        services.Store.Dispose();
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? json, string contentType = "application/json") =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, contentType) });

    private static async Task<JsonNode> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string contains)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await Body(response);
        Assert.Contains(contains, (string)body["error"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Single(body.AsObject());
    }

    private async Task<string> CreatePeer(string name, string key = "k1")
    {
        var created = await Send(HttpMethod.Post, "/test-service/testpeers",
            $$$"""{"metadata":{"name":"{{{name}}}","uid":"","createdAt":"0001-01-01T00:00:00Z"},"spec":{"publicKey":"{{{key}}}","allowedIPs":["10.0.0.1/32"]}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await Body(created))["metadata"]!["uid"]!;
    }

    [Fact]
    public async Task Create_read_list_replace_patch_delete_round_trip()
    {
        var uid = await CreatePeer("peer-a");
        Assert.Matches("^testpeer-[0-9a-f]{8}$", uid);

        var read = await Body(await client.GetAsync($"/test-service/testpeers/{uid}"));
        Assert.Equal("TestPeer", (string?)read["kind"]);
        Assert.Equal("test.openchami.io/v1", (string?)read["apiVersion"]);
        Assert.Equal("peer-a", (string?)read["metadata"]!["name"]);
        Assert.Equal(clock.GetUtcNow(), (DateTimeOffset)read["metadata"]!["createdAt"]!);
        Assert.Equal("k1", (string?)read["spec"]!["publicKey"]);

        await CreatePeer("peer-b", "k2");
        var list = (await Body(await client.GetAsync("/test-service/testpeers"))).AsArray();
        Assert.Equal(["peer-a", "peer-b"], list.Select(r => (string)r!["metadata"]!["name"]!));

        clock.Advance(TimeSpan.FromMinutes(5));
        var replaced = await Send(HttpMethod.Put, $"/test-service/testpeers/{uid}", """{"metadata":{"name":""},"spec":{"publicKey":"k3"}}""");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var afterPut = await Body(replaced);
        Assert.Equal("peer-a", (string?)afterPut["metadata"]!["name"]); // an empty name keeps the name
        Assert.Equal(uid, (string?)afterPut["metadata"]!["uid"]);
        Assert.Equal((string?)read["metadata"]!["createdAt"], (string?)afterPut["metadata"]!["createdAt"]);
        Assert.Equal(clock.GetUtcNow(), (DateTimeOffset)afterPut["metadata"]!["updatedAt"]!);
        Assert.Empty(afterPut["spec"]!["allowedIPs"]!.AsArray());

        var merged = await Body(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}", """{"allowedIPs":["10.9.0.1/32"]}""", "application/merge-patch+json"));
        Assert.Equal("k3", (string?)merged["spec"]!["publicKey"]);
        Assert.Equal("10.9.0.1/32", (string?)merged["spec"]!["allowedIPs"]![0]);
        var patched = await Body(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}",
            """[{"op":"add","path":"/spec/allowedIPs/-","value":"10.9.0.2/32"},{"op":"replace","path":"/publicKey","value":"k4"}]""", "application/json-patch+json"));
        Assert.Equal(["10.9.0.1/32", "10.9.0.2/32"], patched["spec"]!["allowedIPs"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("k4", (string?)patched["spec"]!["publicKey"]);
        var envelopePatch = await Body(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}", """{"metadata":{"labels":{"site":"b1"}},"spec":{"publicKey":"k5"}}"""));
        Assert.Equal("b1", (string?)envelopePatch["metadata"]!["labels"]!["site"]);
        Assert.Equal("k5", (string?)envelopePatch["spec"]!["publicKey"]);

        var status = await Body(await Send(HttpMethod.Put, $"/test-service/testpeers/{uid}/status", """{"status":{"phase":"Ready","seen":1}}"""));
        Assert.Equal("Ready", (string?)status["status"]!["phase"]);
        var statusPatched = await Body(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}/status", """{"seen":2}"""));
        Assert.Equal("Ready", (string?)statusPatched["status"]!["phase"]);
        Assert.Equal(2, (int)statusPatched["status"]!["seen"]!);

        var deleted = await client.DeleteAsync($"/test-service/testpeers/{uid}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(uid, (string?)(await Body(deleted))["uid"]);
        await AssertError(await client.GetAsync($"/test-service/testpeers/{uid}"), HttpStatusCode.NotFound, uid);
        await AssertError(await client.DeleteAsync($"/test-service/testpeers/{uid}"), HttpStatusCode.NotFound, uid);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"x"}}""", "spec")]
    [InlineData("""{"kind":"BootConfiguration","metadata":{"name":"x"},"spec":{"publicKey":"k"}}""", "kind")]
    [InlineData("""{"metadata":{"name":"x"},"spec":{"publicKey":""}}""", "publicKey")]
    [InlineData("""{"metadata":{"name":"x"},"spec":{"publicKey":7}}""", "spec")]
    [InlineData("""{"metadata":{},"spec":{"publicKey":"k"}}""", "name")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"metadata":""", "JSON")]
    public async Task Bad_input_is_400_with_upstreams_error_body_and_stores_nothing(string body, string says)
    {
        await AssertError(await Send(HttpMethod.Post, "/test-service/testpeers", body), HttpStatusCode.BadRequest, says);
        Assert.Empty((await Body(await client.GetAsync("/test-service/testpeers"))).AsArray());
    }

    [Fact]
    public async Task Names_are_unique_within_a_kind_and_bad_patches_change_nothing()
    {
        var uid = await CreatePeer("peer-a");
        await AssertError(await Send(HttpMethod.Post, "/test-service/testpeers", """{"metadata":{"name":"PEER-A"},"spec":{"publicKey":"k"}}"""), HttpStatusCode.Conflict, "exists");
        await AssertError(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}", """[{"op":"test","path":"/publicKey","value":"other"},{"op":"replace","path":"/publicKey","value":"k9"}]"""),
            HttpStatusCode.BadRequest, "test failed");
        await AssertError(await Send(HttpMethod.Patch, $"/test-service/testpeers/{uid}", """{"publicKey":null}"""), HttpStatusCode.BadRequest, "publicKey");
        await AssertError(await Send(HttpMethod.Put, "/test-service/testpeers/testpeer-00000000", """{"metadata":{},"spec":{"publicKey":"k"}}"""), HttpStatusCode.NotFound, "not found");
        Assert.Equal("k1", (string?)(await Body(await client.GetAsync($"/test-service/testpeers/{uid}")))["spec"]!["publicKey"]);
    }
}
