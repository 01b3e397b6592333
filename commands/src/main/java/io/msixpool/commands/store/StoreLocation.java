package io.msixpool.commands.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventTableFactory;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;

/**
 * Where the events live, from {@code --store}: a directory for the embedded SQLite store or a
 * {@code jdbc:postgresql://} URL. Both hold Axon's table layout (columns and names alike), so one
 * set of statements serves both; what differs between them is stated here and nowhere else.
 */
public sealed interface StoreLocation {
    /** What a process opens a store for: reading never creates, locks out or changes a store. */
    enum Access { READ, WRITE }

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

    /**
     * The store's connections. {@link Access#WRITE} creates an embedded store where missing and
     * holds its writer lock until the pool is closed; {@link Access#READ} needs a store that exists.
     *
     * @throws StoreMissing  reading a store that does not exist
     * @throws StoreInUse    writing an embedded store another process writes
     */
    HikariDataSource open(Access access);

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
     * How often an engine that follows the store (msix serve's watches and fleet) polls it for events
     * that other processes appended. It wakes at once for its own commits, and on PostgreSQL for other
     * nodes' (they notify it), so the poll is only the safety net for a notification lost.
     */
    default Duration othersPoll() {
        return SAFETY_POLL;
    }

    /** {@link #othersPoll()} of a store, unless a test sets its own. */
    Duration SAFETY_POLL = Duration.ofSeconds(1);

    /**
     * A statement that, run first in a transaction, holds the store's schema lock until it ends, or
     * null when one process alone can create the store. Processes opening a fresh shared store
     * together would race to create its tables: PostgreSQL's CREATE TABLE IF NOT EXISTS fails (on a
     * catalog key) for the loser of a concurrent create instead of waiting and finding the table.
     */
    String schemaLock();

    /** The DDL of the event and snapshot tables in this database's dialect. */
    EventTableFactory tables();

    /** Axon's event storage engine, with the statements this database needs where Axon's own do not serve. */
    JdbcEventStorageEngine.Builder inDialect(JdbcEventStorageEngine.Builder builder);

    /**
     * A statement that makes the store number its next events after {@code lastPosition}, for an
     * import that inserted positions itself, or null when the store does that by itself.
     */
    String continuePositionsAfter(EventSchema schema, long lastPosition);

    /** True when {@code failure} is a unique-key violation: another writer took the (device, sequence). */
    boolean isDuplicateKey(SQLException failure);

    /**
     * The embedded store: one SQLite database, {@code events.db} in the directory, in WAL mode with
     * {@code synchronous=FULL}. A commit returns only after its WAL frames were fsynced, so every
     * acknowledged command survives a power cut (docs/storage.md: why SQLite, and the measurements).
     * WAL lets readers in other processes read what is committed while one process writes; the
     * writer lock ({@link WriterLock}) keeps a second writer out with a message naming the first.
     */
    record Embedded(Path directory) implements StoreLocation {
        static final String DATABASE = "events.db";
        /** The file the H2 store of earlier versions kept its events in. */
        static final String EARLIER_H2_DATABASE = "events.mv.db";
        /** How long a connection waits for a lock another connection holds (a checkpoint, the writer). */
        private static final int BUSY_TIMEOUT_MS = 10_000;

        public Path database() {
            return directory.resolve(DATABASE);
        }

        @Override
        public HikariDataSource open(Access access) {
            refuseEarlierStore();
            if (access == Access.READ) {
                // An empty file is no store either: a writer that died before its first commit left it.
                if (!Files.isRegularFile(database()) || sizeOf(database()) == 0) {
                    throw new StoreMissing(directory);
                }
                // SQLITE_OPEN_READONLY | SQLITE_OPEN_URI: a reader cannot write, even by mistake.
                HikariConfig readOnly = config(url(), 4, "open_mode=65");
                readOnly.setReadOnly(true); // else the pool tells each connection it may write, which SQLite refuses
                return new HikariDataSource(readOnly);
            }
            WriterLock lock = WriterLock.take(directory);
            try {
                // IMMEDIATE: a write transaction takes the write lock when it begins, so it never
                // has to upgrade from a read mid-way (which SQLite may refuse at once in WAL mode).
                return new LockedPool(config(url(), 4, "transaction_mode=IMMEDIATE"), lock);
            } catch (RuntimeException failure) {
                lock.release();
                throw failure;
            }
        }

        private static long sizeOf(Path file) {
            try {
                return Files.size(file);
            } catch (java.io.IOException unreadable) {
                return 0;
            }
        }

        private String url() {
            return "jdbc:sqlite:" + database() + "?journal_mode=WAL&synchronous=FULL&busy_timeout=" + BUSY_TIMEOUT_MS;
        }

        /** A directory holding an earlier version's H2 file: say how to bring it over, never start a second store beside it. */
        private void refuseEarlierStore() {
            if (Files.exists(directory.resolve(EARLIER_H2_DATABASE)) && !Files.exists(database())) {
                throw new StoreMissing(directory + " holds a store of an earlier msix (H2, "
                        + EARLIER_H2_DATABASE + "), which this version does not open: export it with the "
                        + "earlier version and import the log (README, \"Backup, restore and moving a store\")");
            }
        }

        @Override
        public String probeBeforeCommit() {
            return null;
        }

        /** One writer process at a time ({@link WriterLock}); readers never write. */
        @Override
        public boolean sharedByProcesses() {
            return false;
        }

        @Override
        public String schemaLock() {
            return null;
        }

        @Override
        public EventTableFactory tables() {
            return SqliteDialect.INSTANCE;
        }

        @Override
        public JdbcEventStorageEngine.Builder inDialect(JdbcEventStorageEngine.Builder builder) {
            return SqliteDialect.INSTANCE.statements(builder);
        }

        /** The rowid goes on after the largest key in the table. */
        @Override
        public String continuePositionsAfter(EventSchema schema, long lastPosition) {
            return null;
        }

        @Override
        public boolean isDuplicateKey(SQLException failure) {
            return failure instanceof org.sqlite.SQLiteException sqlite
                    && switch (sqlite.getResultCode()) {
                        case SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY -> true;
                        default -> false;
                    };
        }
    }

    /** @param othersPoll see {@link StoreLocation#othersPoll}; a test polls hardly ever, to show notifications suffice */
    record Postgres(String url, Duration othersPoll) implements StoreLocation {
        /** How long a caller waits for a connection before the store counts as unreachable. */
        public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(2);

        public Postgres(String url) {
            this(url, SAFETY_POLL);
        }
        /** Connections a writing engine keeps open: its 8 group-commit writers, the watch feed, the health probe. */
        private static final int WRITER_CONNECTIONS = 10;

        /** Reading and writing alike: PostgreSQL serves any number of processes. */
        @Override
        public HikariDataSource open(Access access) {
            HikariConfig config = config(url, 16, null);
            // A server that is down, restarting or unreachable must be said within a second or two
            // (a 503 that clients retry), not after Hikari's default 30 s wait for a connection
            // (docs/http.md "When the store is down"). Under normal load a connection is free in
            // milliseconds, so a wait of seconds means the store is in trouble...
            config.setConnectionTimeout(UNREACHABLE_AFTER.toMillis());
            // ...provided the connections a writer needs exist before they are asked for: its
            // group-commit writers, the watch feed and the health probe at once, made when the pool
            // starts rather than one by one under the first burst of commands.
            if (access == Access.WRITE) {
                config.setMinimumIdle(WRITER_CONNECTIONS);
            }
            config.setValidationTimeout(UNREACHABLE_AFTER.toMillis() * 3 / 4);
            config.setDataSourceProperties(driverProperties());
            return new HikariDataSource(config);
        }

        /** The driver's settings of each connection to the store: the pool's, and the engine's listening one. */
        public static Properties driverProperties() {
            Properties properties = new Properties();
            properties.setProperty("connectTimeout", "2"); // seconds: a host that drops packets
            properties.setProperty("socketTimeout", "30"); // seconds: a server that stopped answering
            properties.setProperty("tcpKeepAlive", "true");
            return properties;
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

        @Override
        public EventTableFactory tables() {
            return PostgresEventTableFactory.INSTANCE;
        }

        @Override
        public JdbcEventStorageEngine.Builder inDialect(JdbcEventStorageEngine.Builder builder) {
            return builder;
        }

        /** BIGSERIAL goes on from its own sequence, not from the largest value inserted. */
        @Override
        public String continuePositionsAfter(EventSchema schema, long lastPosition) {
            return "SELECT setval(pg_get_serial_sequence('" + schema.domainEventTable().toLowerCase(Locale.ROOT)
                    + "', '" + schema.globalIndexColumn().toLowerCase(Locale.ROOT) + "'), " + lastPosition + ")";
        }

        /** SQLState 23505: unique_violation. */
        @Override
        public boolean isDuplicateKey(SQLException failure) {
            return "23505".equals(failure.getSQLState());
        }
    }

    private static HikariConfig config(String url, int size, String parameters) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(parameters == null ? url : url + (url.contains("?") ? "&" : "?") + parameters);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setPoolName("msix-store");
        config.setInitializationFailTimeout(10_000);
        return config;
    }
}
