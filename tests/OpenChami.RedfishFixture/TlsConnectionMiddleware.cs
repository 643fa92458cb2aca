using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpenChami.RedfishFixture;

/// <summary>
/// Server-side TLS for a bare Kestrel listener. Kestrel's own <c>UseHttps</c> needs services that only the
/// ASP.NET hosting layer registers (IHttpsConfigurationService), so the fixture wraps the connection in an
/// SslStream itself instead of pulling in a generic host per server.
/// </summary>
internal static class TlsConnectionMiddleware
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    // Building a context walks the certificate chain; a farm shares one certificate, so build it once.
    private static readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> Contexts = new();

    public static void UseTls(this ListenOptions listen, X509Certificate2 certificate)
    {
        var context = Contexts.GetValue(certificate,
            static c => SslStreamCertificateContext.Create(c, additionalCertificates: null, offline: true));
        listen.Use(next => connection => HandleAsync(connection, next, context));
    }

    private static async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next,
        SslStreamCertificateContext certificate)
    {
        var transport = connection.Transport;
        await using var ssl = new SslStream(new DuplexPipeStream(transport.Input, transport.Output), leaveInnerStreamOpen: false);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(HandshakeTimeout);
            try
            {
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificateContext = certificate }, timeout.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                return; // e.g. a client that rejects the self-signed certificate: just close
            }
        }

        connection.Transport = new SslDuplexPipe(PipeReader.Create(ssl), PipeWriter.Create(ssl));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    }

    private sealed record SslDuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
