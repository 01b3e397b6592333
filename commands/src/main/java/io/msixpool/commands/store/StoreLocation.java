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
    /** @throws IllegalArgumentException for an empty value or a JDBC URL of another database */
    static StoreLocation parse(String store) {
        if (store.isBlank()) {
            throw new IllegalArgumentException("--store is empty; give a directory or a jdbc:postgresql:// URL");
        }
        if (store.regionMatches(true, 0, "jdbc:postgresql://", 0, "jdbc:postgresql://".length())) {
            return new Postgres("jdbc:postgresql://" + store.substring("jdbc:postgresql://".length()));
        }
        if (store.regionMatches(true, 0, "jdbc:", 0, "jdbc:".length())) {
            throw new IllegalArgumentException("--store takes a directory or a jdbc:postgresql:// URL, not " + store);
        }
        return new Embedded(Path.of(store).toAbsolutePath().normalize());
    }

    HikariDataSource open();

    /**
     * A statement to run after each commit so that the commit has reached the operating system
     * before it is acknowledged, or null when the commit itself guarantees that.
     */
    String flushAfterCommit();

    /**
     * A statement to run just before each commit that fails if the transaction can no longer
     * commit, or null. PostgreSQL aborts a transaction at its first failed statement, and Axon runs
     * snapshots best-effort, swallowing their errors; without this probe a COMMIT that PostgreSQL
     * turned into a rollback could be acknowledged.
     */
    String probeBeforeCommit();

    /**
     * True when other processes may write the same store. Then no process may use a device kept in
     * memory without checking first that nobody wrote it since (the engine's FreshDevices): it would
     * miss the others' events, and a rejection decided on it (which writes nothing, so meets no
     * conflict) would be wrong.
     */
    boolean sharedByProcesses();

    /**
     * A statement that, run first in a transaction, holds the store's schema lock until it ends, or
     * null when one process alone can open the store. Processes opening a fresh shared store together
     * would race to create its tables: PostgreSQL's CREATE TABLE IF NOT EXISTS fails (on a catalog
     * key) for the loser of a concurrent create instead of waiting and finding the table.
     */
    String schemaLock();

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
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under a
            // graceful stop (msix serve on SIGTERM) while commands are still being decided; the
            // engine closes it itself. A process that dies without closing loses nothing committed.
            String url = "jdbc:h2:file:" + directory.resolve("events") + ";MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE";
            try {
                return pool(url, 4);
            } catch (RuntimeException failure) {
                if (isLockedByAnotherProcess(failure)) {
                    throw new StoreFailure("the embedded store in " + directory + " is in use by another msix "
                            + "process; it serves one process at a time (use PostgreSQL to share a store)", failure);
                }
                throw failure;
            }
        }

        @Override
        public String flushAfterCommit() {
            return "CHECKPOINT";
        }

        @Override
        public String probeBeforeCommit() {
            return null;
        }

        /** H2 locks its file: one process at a time. */
        @Override
        public boolean sharedByProcesses() {
            return false;
        }

        @Override
        public String schemaLock() {
            return null;
        }


        /** H2's error 90020: "database may be already in use" (another process holds the file lock). */
        private static boolean isLockedByAnotherProcess(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) {
                    return true;
                }
            }
            return false;
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
        public String probeBeforeCommit() {
            return "SELECT 1";
        }

        @Override
        public boolean sharedByProcesses() {
            return true;
        }

        /** A transaction-scoped advisory lock; the key spells "msixpool" in ASCII. */
        @Override
        public String schemaLock() {
            return "SELECT pg_advisory_xact_lock(" + 0x6d736978706f6f6cL + ")";
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
