namespace OpenChami.Core.Audit;

/// <summary>
/// Who is changing the store, and through what. Flows with the async context, so the HTTP pipeline
/// and the cmdlet base class set it once and every write below records it.
/// </summary>
public sealed record ChamiActor(string Name, string Action)
{
    private static readonly AsyncLocal<ChamiActor?> CurrentActor = new();

    /// <summary>The current actor; a process-level default (OS user, "api") when nobody set one.</summary>
    public static ChamiActor Current => CurrentActor.Value ?? new ChamiActor(Environment.UserName, "api");

    /// <summary>Sets the actor until the returned scope is disposed.</summary>
    public static IDisposable Use(string name, string action)
    {
        var previous = CurrentActor.Value;
        CurrentActor.Value = new ChamiActor(name, action);
        return new Scope(previous);
    }

    private sealed class Scope(ChamiActor? previous) : IDisposable
    {
        public void Dispose() => CurrentActor.Value = previous;
    }
}
