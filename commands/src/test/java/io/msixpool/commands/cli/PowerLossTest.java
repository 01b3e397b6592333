package io.msixpool.commands.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.msixpool.commands.support.KillablePostgres;
import io.msixpool.commands.support.PowerCutDisk;
import io.msixpool.commands.support.TestStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * README, "What an acknowledgement guarantees": an acknowledged command survives a power cut. The store
 * lives on a {@link PowerCutDisk}; at a seeded moment of an {@code apply} the power goes (every byte not
 * yet fsynced is lost), the client keeps the results it had read, the store is read from what the disk
 * kept (PostgreSQL restarted on it, running its crash recovery), and the unacknowledged tail is resent.
 * {@link CrashRuns} then checks what it checks after a SIGKILL: every acknowledged command is there, and
 * the store ends exactly as an uncrashed run. And the test of the test: on a disk that drops its syncs,
 * the same checks fail.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@Tag("campaign")
@Isolated // runs apply, the reference run and PostgreSQL on a Python file system at once: alone, it keeps within its timeout
class PowerLossTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.msixpool.commands.support.TestStores#both")
    void aPowerCutLosesNoAcknowledgedCommandAndResendingTheTailEndsInTheUncrashedState(TestStores.Kind kind)
            throws Exception {
        Future<CrashRuns.Reference> reference = CrashRuns.referenceOf(kind);
        int killAfter = CrashRuns.killPoint(new Random(CrashRuns.SEED * 37 + kind.ordinal()));
        String run = kind + ", power cut after " + killAfter + " results read";
        try (PowerCutDisk disk = PowerCutDisk.mount(dir, true)) {
            if (kind == TestStores.Kind.EMBEDDED) {
                CrashRuns.crashAndResend(run, disk.mount().resolve("store").toString(), apply -> {
                    disk.cut();
                    killed(apply);
                    return disk.backing().resolve("store").toString();
                }, reference, killAfter);
            } else {
                try (PostgresOnDisk postgres = PostgresOnDisk.start(disk)) {
                    CrashRuns.crashAndResend(run, postgres.url(), apply -> {
                        disk.cut();
                        killed(apply);
                        return postgres.restartAfterCut();
                    }, reference, killAfter);
                }
            }
        }
    }

    @Test
    void onADiskThatDropsItsSyncsTheSameChecksFail() throws Exception {
        Future<CrashRuns.Reference> reference = CrashRuns.referenceOf(TestStores.Kind.EMBEDDED);
        int killAfter = CrashRuns.FIRST_KILL;
        try (PowerCutDisk lying = PowerCutDisk.mount(dir, false)) {
            AssertionFailedError caught = assertThrows(AssertionFailedError.class, () -> CrashRuns.crashAndResend(
                    "EMBEDDED on a disk that drops its syncs, power cut after " + killAfter + " results read",
                    lying.mount().resolve("store").toString(), apply -> {
                        lying.cut();
                        killed(apply);
                        return lying.backing().resolve("store").toString();
                    }, reference, killAfter), "acknowledged commands lost by a disk that never syncs go unnoticed");
            System.out.println("PowerLossTest: on a disk that drops its syncs the check fails as it must: "
                    + caught.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** apply dies with the power (if the cut did not already take it down: a mapped page can SIGBUS it). */
    private static void killed(Process apply) throws InterruptedException {
        apply.toHandle().destroyForcibly();
        assertTrue(apply.waitFor(30, TimeUnit.SECONDS), "apply is gone after the power cut");
    }

    /** A PostgreSQL server whose data directory is on the power-cut disk. */
    private static final class PostgresOnDisk implements AutoCloseable {
        private static final String DATABASE = "msix";
        private final PowerCutDisk disk;
        private EmbeddedPostgres server;
        private final long postmaster;

        private PostgresOnDisk(PowerCutDisk disk, EmbeddedPostgres server) throws IOException {
            this.disk = disk;
            this.server = server;
            this.postmaster = Long.parseLong(Files.readAllLines(data(disk.mount()).resolve("postmaster.pid")).get(0).strip());
        }

        /**
         * The cluster is made on the disk directly (zonky's initdb does not sync, and a cluster half on the
         * disk is no test of anything), then the server runs through the volatile cache from its first
         * command on.
         */
        static PostgresOnDisk start(PowerCutDisk disk) throws Exception {
            try (EmbeddedPostgres init = builder(data(disk.backing())).start();
                 Connection admin = init.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
                sql.execute("CREATE DATABASE " + DATABASE);
            }
            return new PostgresOnDisk(disk, builder(data(disk.mount())).start());
        }

        String url() {
            return server.getJdbcUrl("postgres", DATABASE);
        }

        /** The server died with the power; a new one starts on what the disk kept and recovers from its WAL. */
        String restartAfterCut() throws Exception {
            ProcessHandle.of(postmaster).ifPresent(process -> {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.onExit().join();
            });
            closeQuietly(server);
            // The lock file's contents may not have been synced before the cut; PostgreSQL refuses to start
            // beside an empty one ("lock file is empty"), and an operator removes it after a power cut.
            Path lock = data(disk.backing()).resolve("postmaster.pid");
            if (Files.exists(lock) && Files.size(lock) == 0) {
                Files.delete(lock);
            }
            server = builder(data(disk.backing())).start();
            return url();
        }

        @Override
        public void close() {
            closeQuietly(server);
        }

        private static EmbeddedPostgres.Builder builder(Path data) {
            return KillablePostgres.builder(data, data.getParent().getParent().resolve("postgres.log"));
        }

        private static Path data(Path root) {
            return root.resolve("pgdata");
        }

        private static void closeQuietly(EmbeddedPostgres server) {
            try {
                server.close();
            } catch (IOException | RuntimeException stopFailed) {
                // the server was already killed with the power
            }
        }
    }
}
