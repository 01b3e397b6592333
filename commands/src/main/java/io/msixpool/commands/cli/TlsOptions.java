package io.msixpool.commands.cli;

import io.msixpool.commands.http.ServerTls;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code msix serve}'s HTTPS options, and the refusal to send tokens in clear beyond this machine. */
final class TlsOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "serve HTTPS with this certificate chain (PEM: the server's certificate first, then"
                    + " any intermediates); needs --tls-key")
    Path certificateChain;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "the certificate's private key: PEM, PKCS#8 (-----BEGIN PRIVATE KEY-----), unencrypted")
    Path privateKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "mutual TLS: accept only clients presenting a certificate signed by this CA (PEM). The"
                    + " certificate admits the connection; the bearer token still says who calls, with which role")
    Path clientCa;

    @Option(names = "--insecure",
            description = "allow plain HTTP on an address other than loopback: tokens then cross the network in"
                    + " clear, so only on a network you trust")
    boolean insecure;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Refuses, as usage errors, options that do not go together; reads nothing. */
    void requireConsistent() {
        if ((certificateChain == null) != (privateKey == null)) {
            throw usage(certificateChain == null
                    ? "--tls-key needs --tls-cert PEM too: the certificate chain the key belongs to"
                    : "--tls-cert needs --tls-key PEM too: the private key of the certificate");
        }
        if (clientCa != null && certificateChain == null) {
            throw usage("--tls-client-ca needs HTTPS: give --tls-cert PEM and --tls-key PEM too");
        }
        if (insecure && certificateChain != null) {
            throw usage("--insecure is for plain HTTP, but --tls-cert serves HTTPS: drop one of them");
        }
    }

    /**
     * Plain HTTP beyond loopback would carry every bearer token in clear: refused unless asked for
     * with {@code --insecure}, which warns on standard error.
     */
    void requireSafe(InetAddress bound, String bind) {
        if (certificateChain != null || bound.isLoopbackAddress()) {
            return;
        }
        if (!insecure) {
            throw usage("--bind " + bind + " is reachable from other machines, and without TLS every bearer token"
                    + " would cross the network in clear: give --tls-cert PEM and --tls-key PEM to serve HTTPS,"
                    + " or --insecure on a network you trust");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("msix: WARNING: --insecure: plain HTTP on " + bind + ", bearer tokens cross the network in clear");
        err.flush();
    }

    /** The TLS settings read and checked, empty for plain HTTP. */
    Optional<ServerTls> load() {
        if (certificateChain == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerTls.load(certificateChain, privateKey, clientCa));
        } catch (IllegalArgumentException bad) {
            throw usage(bad.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
