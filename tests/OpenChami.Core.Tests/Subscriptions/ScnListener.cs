using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenChami.Core.Tests.Subscriptions;

/// <summary>
/// A real HTTP subscriber on 127.0.0.1:0 (Kestrel): records every POST and answers the next status of
/// <see cref="Statuses"/> (200 when none is left), so a test can make it fail a given number of times.
/// </summary>
public sealed class ScnListener : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> statuses = new();
    private readonly List<JsonNode> received = [];
    private readonly List<TaskCompletionSource> waiters = [];
    private readonly Lock gate = new();

    private ScnListener(WebApplication app) => this.app = app;

    public string Url { get; private set; } = string.Empty;

    /// <summary>Every POST body received, accepted or not, in order.</summary>
    public IReadOnlyList<JsonNode> Received
    {
        get
        {
            lock (gate) return received.ToList();
        }
    }

    public void Statuses(params int[] codes)
    {
        foreach (var code in codes) statuses.Enqueue(code);
    }

    public static async Task<ScnListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new ScnListener(app);
        app.MapPost("/scn", async (HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var status = listener.statuses.TryDequeue(out var s) ? s : 200;
            listener.Record(body);
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.Url = address + "/scn";
        return listener;
    }

    private void Record(JsonNode body)
    {
        lock (gate)
        {
            received.Add(body);
            foreach (var waiter in waiters) waiter.TrySetResult();
            waiters.Clear();
        }
    }

    /// <summary>Completes once <paramref name="count"/> POSTs have arrived.</summary>
    public async Task WaitForAsync(int count)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (received.Count >= count) return;
                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiters.Add(waiter);
                next = waiter.Task;
            }

            await next;
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
