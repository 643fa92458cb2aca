using Microsoft.Extensions.Logging;

namespace OpenChami.Core.Http;

/// <summary>
/// The server's log: a bounded in-memory ring (read by Get-ChamiServerLog) and optionally a file.
/// ASP.NET Core's console logger is removed because the server lives inside an interactive pwsh.
/// Messages never include request headers or bodies, so tokens and passwords can't leak here.
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly Queue<ServerLogEntry> ring = new();
    private readonly int capacity;
    private readonly object gate = new();
    private StreamWriter? file;

    public ServerLog(int capacity, string? filePath)
    {
        this.capacity = Math.Max(16, capacity);
        if (!string.IsNullOrEmpty(filePath))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(filePath));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public void Add(ServerLogLevel level, string category, string message)
    {
        var entry = new ServerLogEntry(DateTime.UtcNow, level, category, message);
        lock (gate)
        {
            ring.Enqueue(entry);
            while (ring.Count > capacity) ring.Dequeue();
            file?.WriteLine(entry.ToString());
        }
    }

    public IReadOnlyList<ServerLogEntry> Snapshot()
    {
        lock (gate) return ring.ToList();
    }

    public ILogger CreateLogger(string categoryName) => new RingLogger(this, categoryName);

    public void Dispose()
    {
        lock (gate)
        {
            // Late entries (a request finishing during shutdown) still reach the ring, never a closed file.
            file?.Dispose();
            file = null;
        }
    }

    private sealed class RingLogger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // Framework chatter below Warning is noise for operators; our own categories log at Information.
        public bool IsEnabled(LogLevel level) =>
            level >= (category.StartsWith("OpenChami", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning);

        public void Log<TState>(LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(level)) return;
            var message = formatter(state, exception);
            if (exception is not null) message += $" ({exception.GetType().Name}: {exception.Message})";
            log.Add(level is LogLevel.None ? ServerLogLevel.Trace : (ServerLogLevel)(int)level, category, message);
        }
    }
}
