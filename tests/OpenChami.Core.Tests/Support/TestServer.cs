using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Http;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// A real Kestrel listener on 127.0.0.1:0 over a real LiteDB store (in memory, or a file in a temp
/// folder), with an HttpClient pointed at it. Tests use <see cref="Services"/> for the cmdlet-side view.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ChamiServer server, ChamiServices services, HttpClient client)
    {
        Server = server;
        Services = services;
        Client = client;
    }

    public ChamiServer Server { get; }

    public ChamiServices Services { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(IChamiStore? store = null, Action<ChamiServerOptions>? configure = null)
    {
        var services = new ChamiServices(store ?? TestStores.Create());
        var options = new ChamiServerOptions { Port = 0 };
        configure?.Invoke(options);
        var server = await ChamiServer.StartAsync(services, options);
        var client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        return new TestServer(server, services, client);
    }

    /// <summary>A server over services the test built itself (e.g. with a fake <see cref="ChamiServices.Time"/>).</summary>
    public static async Task<TestServer> StartWithAsync(ChamiServices services, Action<ChamiServerOptions>? configure = null)
    {
        var options = new ChamiServerOptions { Port = 0 };
        configure?.Invoke(options);
        var server = await ChamiServer.StartAsync(services, options);
        var client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        return new TestServer(server, services, client);
    }

    public Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string json) =>
        Client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Asserts an RFC 7807 body with the given status and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ReadJsonAsync(response);
        Assert.Equal(status, (int)body["status"]!);
        Assert.Equal("about:blank", (string?)body["type"]);
        Assert.False(string.IsNullOrEmpty((string?)body["title"]));
        return (string)body["detail"]!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        Services.Store.Dispose();
    }
}
