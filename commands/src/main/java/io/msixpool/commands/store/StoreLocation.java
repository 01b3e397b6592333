package io.msixpool.commands.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the events live, from {@code --store}: a directory for the embedded H2 store (created when
 * missing) or a {@code jdbc:postgresql://} URL. Both use Axon's PostgreSQL table layout; H2 runs in
 * its PostgreSQL mode so one schema and one set of statements serve both.
 */
public sealed interface StoreLocation {
    static StoreLocation parse(String store) {
        if (store.startsWith("jdbc:postgresql://")) {
            return new Postgres(store);
        }
        if (store.startsWith("jdbc:")) {
            throw new IllegalArgumentException("--store takes a directory or a jdbc:postgresql:// URL, not " + store);
        }
        return new Embedded(Path.of(store).toAbsolutePath().normalize());
    }

    HikariDataSource open();

    String describe();

    /**
     * H2 file store. WRITE_DELAY=0 makes every commit reach the operating system before the commit
     * call returns, so a killed process loses nothing it acknowledged; H2 never fsyncs per commit,
     * so a power loss can lose the last acknowledged commits (README, "Durability").
     */
    record Embedded(Path directory) implements StoreLocation {
        @Override
        public HikariDataSource open() {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create store directory " + directory, e);
            }
            String url = "jdbc:h2:file:" + directory.resolve("events") + ";MODE=PostgreSQL;WRITE_DELAY=0";
            return pool(url, 4);
        }

        @Override
        public String describe() {
            return "embedded store in " + directory;
        }
    }

    record Postgres(String url) implements StoreLocation {
        @Override
        public HikariDataSource open() {
            return pool(url, 16);
        }

        @Override
        public String describe() {
            return "PostgreSQL at " + url.replaceAll("password=[^&]*", "password=***");
        }
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setPoolName("msix-store");
        config.setInitializationFailTimeout(10_000);
        return new HikariDataSource(config);
    }
}
