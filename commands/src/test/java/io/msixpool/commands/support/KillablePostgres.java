package io.msixpool.commands.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

/**
 * A PostgreSQL server of one test's own, which the test kills (SIGKILL, as a crash or an OOM kill
 * would) and starts again on the same data directory and port, as an operator or a failover would:
 * clients keep their URL.
 */
public final class KillablePostgres implements AutoCloseable {
    private static final String DATABASE = "msix";
    private final Path data;
    private final int port;
    private EmbeddedPostgres server;

    private KillablePostgres(Path data, EmbeddedPostgres server) {
        this.data = data;
        this.server = server;
        this.port = server.getPort();
    }

    public static KillablePostgres start() throws Exception {
        Path root = Files.createTempDirectory("msix-killable-pg-");
        EmbeddedPostgres server = builder(root.resolve("pgdata"), root.resolve("postgres.log")).start();
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        return new KillablePostgres(root.resolve("pgdata"), server);
    }

    /** The store's URL, the same before and after a restart. */
    public String url() {
        return server.getJdbcUrl("postgres", DATABASE);
    }

    /** SIGKILL to the postmaster and every backend: connections break at once, nothing is shut down cleanly. */
    public void kill() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle.of(postmaster).ifPresent(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().join();
        });
        closeQuietly(server);
    }

    /** A new server on the killed one's data directory and port; it recovers from its WAL first. */
    public void restart() throws IOException {
        server = builder(data, data.resolveSibling("postgres.log")).setPort(port).start();
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    /**
     * PostgreSQL as production runs it (zonky turns syncing off for speed; with it off a crash loses
     * committed transactions), and a startup wait longer than zonky's 10 s: crash recovery replays
     * the WAL first.
     */
    public static EmbeddedPostgres.Builder builder(Path data, Path log) {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(90))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static void closeQuietly(EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException stopFailed) {
            // already killed: pg_ctl stop finds no server
        }
    }
}
