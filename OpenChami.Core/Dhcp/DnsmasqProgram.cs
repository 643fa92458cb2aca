using System.Diagnostics;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Dhcp;

/// <summary>Finding the dnsmasq executable and asking it to check a configuration.</summary>
public static class DnsmasqProgram
{
    /// <summary>dnsmasq lives in /usr/sbin, which is not on every user's PATH.</summary>
    private static readonly string[] SbinDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    /// <summary>The dnsmasq executable: <paramref name="explicitPath"/>, else PATH, else the sbin directories.</summary>
    public static string Find(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (File.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw NotFound($"dnsmasq was not found at '{explicitPath}'.");
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(SbinDirectories))
        {
            var candidate = Path.Combine(dir, "dnsmasq");
            if (File.Exists(candidate)) return candidate;
        }
        throw NotFound("dnsmasq is not installed (looked in PATH and /usr/sbin). Install Debian's dnsmasq-base (or dnsmasq) package.");
    }

    private static ChamiException NotFound(string message) => ChamiException.NotFound("DnsmasqNotFound", message, "dnsmasq");

    /// <summary>Runs <c>dnsmasq --test --conf-file=</c>; throws DnsmasqConfigInvalid with dnsmasq's own message when it refuses.</summary>
    public static void Test(string executable, string configFile, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--test");
        psi.ArgumentList.Add($"--conf-file={configFile}");
        using var process = Process.Start(psi) ?? throw NotFound($"cannot start {executable}");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(20)))
        {
            process.Kill(true);
            throw ChamiException.Unavailable("DnsmasqTimeout", $"dnsmasq --test did not finish for {configFile}", configFile);
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var message = (stderr.Result + stdout.Result).Trim();
            if (message.StartsWith("dnsmasq: ", StringComparison.Ordinal)) message = message["dnsmasq: ".Length..];
            throw ChamiException.Invalid("DnsmasqConfigInvalid", $"dnsmasq rejected the configuration: {message}", configFile);
        }
    }

    /// <summary>Writes a file through a temporary sibling and a rename, so dnsmasq never reads half of it.</summary>
    public static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        if (!OperatingSystem.IsWindows())
        {
            // dnsmasq drops root for an unprivileged user and re-reads the host files as that user.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        File.Move(temp, path, overwrite: true);
    }
}
