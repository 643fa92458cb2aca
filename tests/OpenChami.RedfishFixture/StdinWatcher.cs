namespace OpenChami.RedfishFixture;

/// <summary>
/// Signals when stdin reaches end-of-file, so a parent process (Pester, a bench script) can stop the
/// fixture by closing the pipe, and the fixture can't outlive a parent that died.
/// </summary>
internal static class StdinWatcher
{
    /// <summary>
    /// Watching only makes sense for a pipe or a terminal: /dev/null (bash '&amp;' without job control,
    /// CI without stdin) or a regular file would read end-of-file at once and stop the fixture immediately.
    /// </summary>
    public static bool ShouldWatch()
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var target = new FileInfo("/proc/self/fd/0").LinkTarget;
        return target is not null && (target.StartsWith("pipe:", StringComparison.Ordinal) ||
                                      target.StartsWith("socket:", StringComparison.Ordinal) ||
                                      target.StartsWith("/dev/pts/", StringComparison.Ordinal) ||
                                      target.StartsWith("/dev/tty", StringComparison.Ordinal));
    }

    /// <summary>Runs <paramref name="onEndOfFile"/> once stdin is closed (on a background thread).</summary>
    public static void Start(Action onEndOfFile)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // input is ignored; only end-of-file matters
                }
            }
            catch (IOException)
            {
                // a broken stdin counts as closed
            }

            onEndOfFile();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        thread.Start();
    }
}
