using System.Globalization;

namespace OpenChami.RedfishFixture;

/// <summary>Command line of the standalone fixture (see <see cref="Usage"/>).</summary>
internal sealed class FixtureOptions
{
    public const string Usage = """
        Usage:
          OpenChami.RedfishFixture --mockup <folder> [--count N] [--user U --password P] [--https]
                                   [--ports-file <path>] [--fault <None|Timeout|ServerError|RefuseCredentials|MissingLinks|Slow>]
                                   [--fault-spares-root] [--slow-ms N] [--power-delay-ms N] [--no-auth] [--ignore-stdin]
          OpenChami.RedfishFixture --selfcheck [--mockups <folder with public-rackmount1 and EX425>] [--farm-count N]

        Starts N simulated BMCs on 127.0.0.1 (each its own free port), writes [{"Address":"127.0.0.1","Port":p},...]
        to stdout (or atomically to --ports-file) and runs until stdin reaches end-of-file, SIGTERM or Ctrl+C.
        Stdin is only watched when it is a pipe or a terminal (not /dev/null or a file); --ignore-stdin never watches it.
        """;

    public string? Mockup { get; private set; }

    public int Count { get; private set; } = 1;

    public string User { get; private set; } = RedfishBmcSimulator.DefaultUsername;

    public string Password { get; private set; } = RedfishBmcSimulator.DefaultPassword;

    public bool Https { get; private set; }

    public bool NoAuth { get; private set; }

    public string? PortsFile { get; private set; }

    public RedfishFault Fault { get; private set; }

    public bool FaultSparesRoot { get; private set; }

    public int? SlowMs { get; private set; }

    public int PowerDelayMs { get; private set; }

    public bool IgnoreStdin { get; private set; }

    public bool SelfCheck { get; private set; }

    public string MockupsRoot { get; private set; } = "/work/shared/redfish-mockups";

    public int FarmCount { get; private set; } = 256;

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static FixtureOptions Parse(string[] args)
    {
        var o = new FixtureOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int Number(int min) =>
                int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
                    ? n
                    : throw new ArgumentException($"{arg} needs a whole number >= {min}.");

            switch (arg)
            {
                case "--mockup": o.Mockup = Value(); break;
                case "--count": o.Count = Number(1); break;
                case "--user": o.User = Value(); break;
                case "--password": o.Password = Value(); break;
                case "--https": o.Https = true; break;
                case "--no-auth": o.NoAuth = true; break;
                case "--ports-file": o.PortsFile = Value(); break;
                case "--fault":
                    o.Fault = Enum.TryParse<RedfishFault>(Value(), ignoreCase: true, out var f) && Enum.IsDefined(f)
                        ? f
                        : throw new ArgumentException($"Unknown fault '{args[i]}'.");
                    break;
                case "--fault-spares-root": o.FaultSparesRoot = true; break;
                case "--slow-ms": o.SlowMs = Number(0); break;
                case "--power-delay-ms": o.PowerDelayMs = Number(0); break;
                case "--ignore-stdin": o.IgnoreStdin = true; break;
                case "--selfcheck": o.SelfCheck = true; break;
                case "--mockups": o.MockupsRoot = Value(); break;
                case "--farm-count": o.FarmCount = Number(1); break;
                case "-h" or "--help": o.Help = true; break;
                default: throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }

        if (!o.Help && !o.SelfCheck && o.Mockup is null)
        {
            throw new ArgumentException("--mockup <folder> is required.");
        }

        return o;
    }

    /// <summary>Applies the per-BMC settings to a simulator before it starts.</summary>
    public void Configure(RedfishBmcSimulator simulator)
    {
        simulator.RecordRequests = false; // nobody reads the log in a standalone process; don't let it grow
        simulator.Username = User;
        simulator.Password = Password;
        simulator.UseHttps = Https;
        simulator.RequireAuthentication = !NoAuth;
        simulator.Fault = Fault;
        simulator.FaultIncludesServiceRoot = !FaultSparesRoot;
        simulator.PowerTransitionDelay = TimeSpan.FromMilliseconds(PowerDelayMs);
        if (SlowMs is { } slow)
        {
            simulator.SlowDelay = TimeSpan.FromMilliseconds(slow);
        }
    }
}
