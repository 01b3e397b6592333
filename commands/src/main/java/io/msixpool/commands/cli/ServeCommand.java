package io.msixpool.commands.cli;

import io.msixpool.commands.engine.Engine;
import io.msixpool.commands.http.BusServer;
import io.msixpool.commands.http.ServerTls;
import io.msixpool.commands.http.Tokens;
import io.msixpool.commands.http.TokensFile;
import io.msixpool.replay.merkle.NoteKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Serves the HTTP bus (docs/http.md) to clients holding a bearer token.",
                "",
                "Commands, pools, live pool watches, the event log, health and metrics.",
                "",
                "It signs the log's checkpoints with STORE/checkpoint.key, made on the first start (the log's",
                "origin: --log-origin NAME, or msix-pool/ and 8 random hex digits), or --signing-key FILE, and",
                "prints the verifier key that checks them first (msix key prints it too).",
                "",
                "Without --tokens, the server uses STORE/tokens.json, which holds SHA-256 hashes of tokens",
                "(msix token add|list|revoke). A first start without that file creates it with one new operator",
                "token and shows the token once on standard error. Changes to the file take effect at the next",
                "request, no restart needed. Several servers may share one PostgreSQL store (docs/cluster.md).",
                "Ctrl-C (SIGINT) or SIGTERM stops it gracefully: commands already received are decided and",
                "answered first, then the store is closed.",
                "",
                "It listens on loopback by default. Another --bind address needs HTTPS (--tls-cert and",
                "--tls-key), or --insecure on a network you trust: plain HTTP would carry the tokens in",
                "clear. With --tls-client-ca, only clients holding a certificate signed by that CA can",
                "connect (mutual TLS); the certificate admits the connection, the bearer token still",
                "names the caller and its role (docs/http.md, \"TLS\").",
                "",
                "Examples:",
                "  TOKEN=$(msix token add me --role operator --store ./store)",
                "  msix serve --store ./store &",
                "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:7070/v1/devices/bf3-a/pool",
                "",
                "  msix serve --store ./store --bind 0.0.0.0 --tls-cert server.pem --tls-key server.key \\",
                "       --tls-client-ca clients-ca.pem",
                "  curl --cacert ca.pem --cert client.pem --key client.key -H \"Authorization: Bearer ...\" \\",
                "       https://bus.example:7070/v1/devices/bf3-a/pool"})
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 7070;

    @Mixin
    StoreOption store;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "the tokens file, made by msix token add (default: STORE/tokens.json, created when "
                    + "missing; required for a PostgreSQL store)")
    Path tokensFile;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only); an address"
                    + " other than loopback needs --tls-cert and --tls-key, or --insecure")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT,
            description = "port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "connections served at once; beyond them /healthz still answers and anything else"
                    + " gets 503 (default: 10000, or half the open-file limit when that is lower)")
    Integer maxConnections;

    @Mixin
    TlsOptions tls;

    @Mixin
    SigningKeyOptions signingKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, not " + port);
        }
        if (maxConnections != null && maxConnections < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-connections must be at least 1, not " + maxConnections);
        }
        tls.requireConsistent();
        InetSocketAddress address = requireListenable();
        tls.requireSafe(address.getAddress(), bind);
        Optional<ServerTls> secure = tls.load();
        Tokens tokens = loadTokens();
        NoteKey checkpointKey = signingKey.loadOrCreate(store.location(), spec.commandLine().getErr());
        Engine engine = Engine.openWatchable(store.location());
        try {
            engine.keepCheckpoints(checkpointKey);
        } catch (IllegalStateException otherLog) {
            engine.close();
            throw new CommandLine.ParameterException(spec.commandLine(), otherLog.getMessage());
        }
        var rebuilt = engine.fleet().rebuilt();
        spec.commandLine().getErr().printf(java.util.Locale.ROOT, "msix: the fleet (%,d PFs) rebuilt from %,d events in %.1f s%n",
                rebuilt.pfs(), rebuilt.events(), rebuilt.took().toNanos() / 1e9);
        BusServer server;
        try {
            server = BusServer.start(engine, tokens, bind, port,
                    maxConnections != null ? maxConnections : BusServer.defaultMaxConnections(), secure);
        } catch (RuntimeException cannotListen) {
            engine.close();
            // Taken between the check and now: said the same way.
            for (Throwable cause = cannotListen; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bindFailed) {
                    throw cannotListen(bindFailed);
                }
            }
            throw cannotListen;
        }
        // The JVM runs shutdown hooks on SIGINT (Ctrl-C), SIGTERM and SIGHUP alike.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "msix-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("verifier key: " + checkpointKey.verifierKey());
        out.println("listening on " + (secure.isPresent() ? "https" : "http") + "://" + urlHost(server.address().getHostString()) + ":" + server.address().getPort());
        out.flush();
        server.awaitClose();
        return 0;
    }

    /**
     * Refuses, as a usage error, an address and port it cannot listen on, before the store or a
     * tokens file is created: a port in use is the caller's to change, not a failure of the engine.
     */
    private InetSocketAddress requireListenable() {
        InetSocketAddress address = new InetSocketAddress(bind, port);
        if (address.isUnresolved()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--bind " + bind + ": no such address or host name on this machine");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the server itself binds: a port in TIME_WAIT is free
            probe.bind(address);
            return address;
        } catch (BindException taken) {
            throw cannotListen(taken);
        } catch (IOException other) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot listen on " + where() + ": " + other.getMessage());
        }
    }

    private CommandLine.ParameterException cannotListen(BindException failure) {
        String reason = String.valueOf(failure.getMessage());
        String why;
        if (reason.contains("in use")) {
            why = where() + " is already in use (by another msix serve?): stop what listens there, or choose"
                    + " another port with --port PORT (--port 0 takes any free one)";
        } else if (reason.contains("ermission")) {
            why = "may not listen on " + where() + " (ports below 1024 need privileges): choose another port"
                    + " with --port PORT";
        } else if (reason.contains("assign")) {
            why = "cannot listen on " + where() + ": " + bind + " is not an address of this machine; choose"
                    + " another with --bind ADDRESS";
        } else {
            why = "cannot listen on " + where() + ": " + reason + "; choose another --bind or --port";
        }
        return new CommandLine.ParameterException(spec.commandLine(), why);
    }

    private String where() {
        return urlHost(bind) + ":" + port;
    }

    /** An IPv6 address goes in brackets in a URL ({@code --bind 0.0.0.0} listens on {@code [::]} on a dual-stack host). */
    private static String urlHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private Tokens loadTokens() {
        PrintWriter err = spec.commandLine().getErr();
        Path file = tokensFile;
        if (file == null) {
            file = TokensFileOption.inStore(spec, store.location()).toAbsolutePath();
            Optional<String> created = TokensFile.createDefault(file);
            if (created.isPresent()) {
                // The file keeps only the hash: this line is the one place the token ever appears.
                err.println("msix: wrote the hash of a new operator token to " + file + " (readable by you only);"
                        + " the token, shown this once: " + created.get());
            } else {
                err.println("msix: tokens from " + file);
            }
        }
        Tokens tokens;
        try {
            tokens = Tokens.follow(file);
        } catch (IllegalArgumentException bad) {
            throw new CommandLine.ParameterException(spec.commandLine(), bad.getMessage());
        }
        if (tokens.size() == 0) {
            err.println("msix: " + file + " holds no token yet: every request is refused (401) until"
                    + " msix token add NAME --role operator --tokens " + file + " adds one (no restart needed)");
        }
        return tokens;
    }
}
