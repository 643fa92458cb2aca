namespace OpenChami.Core.Power;

/// <summary>
/// A BMC user name and password. The password never leaves this object except into the
/// Authorization header of a Redfish request: <see cref="ToString"/> hides it, and no output
/// type carries a credential.
/// </summary>
public sealed class BmcCredential
{
    public BmcCredential(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        User = user;
        Password = password ?? string.Empty;
    }

    public string User { get; }

    internal string Password { get; }

    /// <summary>The value of an HTTP Basic Authorization header.</summary>
    internal string BasicAuthorization =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));

    public override string ToString() => $"{User} (password hidden)";
}
