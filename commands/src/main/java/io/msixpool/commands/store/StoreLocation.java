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
     * A statement to run after each commit so that the commit has reached the operating system
     * before it is acknowledged, or null when the commit itself guarantees that.
     */
    String flushAfterCommit();

    /**
     * H2 file store. H2 writes commits to its file in the background (within WRITE_DELAY), so a
     * killed process could lose acknowledged commits; CHECKPOINT after each commit writes them out
     * first. (WRITE_DELAY=0 would too, but it also stops the background thread that compacts the
     * file, which then grows without bound.) H2 never fsyncs per commit, so a power loss can still
     * lose the last acknowledged commits (README, "What an acknowledgement guarantees").
     */
    record Embedded(Path directory) implements StoreLocation {
        @Override
        public HikariDataSource open() {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create store directory " + directory, e);
            }
            String url = "jdbc:h2:file:" + directory.resolve("events") + ";MODE=PostgreSQL";
            return pool(url, 4);
        }

        @Override
        public String flushAfterCommit() {
            return "CHECKPOINT";
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

        /** PostgreSQL's commit returns after the WAL flush (with the default synchronous_commit). */
        @Override
        public String flushAfterCommit() {
            return null;
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
