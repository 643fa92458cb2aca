using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Security;

/// <summary>An issued bearer token. <see cref="Token"/> is the secret to hand to a client.</summary>
public sealed class ChamiToken
{
    public required string Token { get; init; }

    public required string Subject { get; init; }

    public ChamiScope Scope { get; init; }

    public DateTime Expires { get; init; }

    public override string ToString() => Token;
}

/// <summary>What a validated token says about its bearer.</summary>
public sealed record TokenIdentity(string Subject, ChamiScope Scope);

/// <summary>
/// Issues and validates HS256 JWTs signed with a key kept beside the database
/// (<see cref="KeyRing"/>, <c>jwt-signing.key</c>). Standard validation: signature, expiry,
/// issuer and audience, with a small clock skew.
/// </summary>
public sealed class TokenService(IChamiStore store)
{
    public const string Issuer = "openchami";
    public const string Audience = "openchami";
    private const string ScopeClaim = "scope";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private SymmetricSecurityKey SigningKey => new(KeyRing.For(store).GetOrCreateKey("jwt-signing.key", 64)) { KeyId = "openchami-1" };

    public ChamiToken Issue(string subject, ChamiScope scope, TimeSpan validFor)
    {
        if (string.IsNullOrWhiteSpace(subject)) throw ChamiException.Invalid("InvalidTokenSubject", "a token needs a subject");
        if (scope == ChamiScope.None) throw ChamiException.Invalid("InvalidTokenScope", "a token needs a scope: read, write or admin");
        if (validFor <= TimeSpan.Zero || validFor > TimeSpan.FromDays(3650))
        {
            throw ChamiException.Invalid("InvalidTokenLifetime", $"token lifetime {validFor} must be positive and at most 10 years");
        }
        var now = DateTime.UtcNow;
        var expires = now + validFor;
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(ScopeClaim, scope.ToString().ToLowerInvariant())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
        return new ChamiToken { Token = token, Subject = subject, Scope = scope, Expires = expires };
    }

    /// <summary>Validates a bearer token; throws <c>Unauthorized</c> with the reason when it is not acceptable.</summary>
    public async Task<TokenIdentity> ValidateAsync(string token)
    {
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = SigningKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            var reason = result.Exception switch
            {
                SecurityTokenExpiredException => "token expired",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "token signature is invalid",
                SecurityTokenInvalidIssuerException => "token issuer is invalid",
                SecurityTokenInvalidAudienceException => "token audience is invalid",
                _ => "token is invalid",
            };
            throw new ChamiException(ChamiErrorKind.Unauthorized, "InvalidToken", reason);
        }
        var subject = result.Claims.TryGetValue("sub", out var sub) ? sub?.ToString() : null;
        var scopeText = result.Claims.TryGetValue(ScopeClaim, out var s) ? s?.ToString() : null;
        if (string.IsNullOrEmpty(subject) || !Enum.TryParse<ChamiScope>(scopeText, ignoreCase: true, out var scope) || scope == ChamiScope.None)
        {
            throw new ChamiException(ChamiErrorKind.Unauthorized, "InvalidToken", "token has no subject or scope");
        }
        return new TokenIdentity(subject, scope);
    }
}
