using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OpenChami.RedfishFixture;

/// <summary>Standalone entry point: runs a farm of simulated BMCs for benches and Pester, or the self-check.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        FixtureOptions options;
        try
        {
            options = FixtureOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}{Environment.NewLine}{FixtureOptions.Usage}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(FixtureOptions.Usage);
            return 0;
        }

        return options.SelfCheck
            ? await SelfCheck.RunAsync(options.MockupsRoot, options.FarmCount)
            : await ServeAsync(options);
    }

    private static async Task<int> ServeAsync(FixtureOptions options)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // shut down cleanly instead of being killed
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });

        RedfishMockup mockup;
        try
        {
            mockup = RedfishMockup.Load(options.Mockup!);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"redfish-fixture: {e.Message}");
            return 1;
        }

        await using var farm = await RedfishFixtureFarm.StartAsync(mockup, options.Count, (_, s) => options.Configure(s));
        var json = JsonSerializer.Serialize(farm.Endpoints);
        if (options.PortsFile is null)
        {
            await Console.Out.WriteLineAsync(json);
            await Console.Out.FlushAsync();
        }
        else
        {
            // Write-then-rename so a watcher never reads a half-written list.
            var temp = options.PortsFile + ".tmp";
            await File.WriteAllTextAsync(temp, json);
            File.Move(temp, options.PortsFile, overwrite: true);
        }

        using var self = Process.GetCurrentProcess();
        var ports = farm.Endpoints.Select(e => e.Port).ToArray();
        await Console.Error.WriteLineAsync(
            $"redfish-fixture: {farm.Count} BMC(s) of '{Path.GetFileName(mockup.Folder)}' on {(options.Https ? "https" : "http")}://127.0.0.1 " +
            $"ports {ports.Min()}..{ports.Max()}, started in {farm.StartDuration.TotalMilliseconds:F0} ms, " +
            $"working set {self.WorkingSet64 / (1024 * 1024)} MiB, threads {self.Threads.Count}");

        if (!options.IgnoreStdin && StdinWatcher.ShouldWatch())
        {
            StdinWatcher.Start(() => stop.TrySetResult());
        }

        await stop.Task;
        if (options.PortsFile is not null)
        {
            File.Delete(options.PortsFile); // the ports are gone; don't leave a stale list behind
        }

        return 0;
    }
}
