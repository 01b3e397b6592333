package io.msixpool.commands.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A disk that can lose power: src/test/powercut/powercut_fs.py mounted over a backing directory. Data
 * written through {@link #mount()} reaches {@link #backing()} only when its file is fsynced; {@link #cut()}
 * kills the file system's process, and with it every byte not yet synced, as a power cut empties a
 * disk's volatile cache. What the backing directory then holds is what the disk holds after the cut.
 *
 * <p>Needs root, /dev/fuse and Debian's fuse3 and python3-fusepy (.ci/run installs them). Without them
 * the tests that need it are skipped with a message, unless MSIX_REQUIRE_POWERCUT=1 (.ci/run) makes that
 * a failure.
 */
public final class PowerCutDisk implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/powercut/powercut_fs.py").toAbsolutePath();
    private static final String PYTHON = "/usr/bin/python3";

    private final Path backing;
    private final Path mount;
    private final Process daemon;
    private boolean cut;

    private PowerCutDisk(Path backing, Path mount, Process daemon) {
        this.backing = backing;
        this.mount = mount;
        this.daemon = daemon;
    }

    /**
     * Mounts a fresh disk under {@code root}. {@code honourSyncs} false makes a disk that says yes to
     * fsync and keeps nothing: the store on it does not sync, whatever it asks for.
     */
    public static PowerCutDisk mount(Path root, boolean honourSyncs) throws IOException, InterruptedException {
        requireTools();
        Path backing = Files.createDirectories(root.resolve("backing"));
        Path mount = Files.createDirectories(root.resolve("mount"));
        Path ready = root.resolve("mounted");
        ProcessBuilder command = new ProcessBuilder(PYTHON, SCRIPT.toString(), backing.toString(), mount.toString(),
                "--ready-file", ready.toString());
        if (!honourSyncs) {
            command.command().add("--ignore-fsync");
        }
        Process daemon = command.redirectErrorStream(true)
                .redirectOutput(root.resolve("powercut_fs.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(ready)) {
            assertTrue(daemon.isAlive(), () -> "powercut_fs ended before mounting: " + log(root));
            assertTrue(System.nanoTime() < deadline, () -> "powercut_fs did not mount within 20 s: " + log(root));
            Thread.sleep(20);
        }
        return new PowerCutDisk(backing, mount, daemon);
    }

    /** Where processes write, through the volatile cache. */
    public Path mount() {
        return mount;
    }

    /** The disk itself, as it is after a cut. */
    public Path backing() {
        return backing;
    }

    /** The power cut: the file system's process dies with every unsynced byte, and the mount goes. */
    public void cut() throws IOException, InterruptedException {
        if (cut) {
            return;
        }
        cut = true;
        daemon.toHandle().destroyForcibly();
        daemon.waitFor(30, TimeUnit.SECONDS);
        Process unmount = new ProcessBuilder("fusermount3", "-u", "-z", mount.toString())
                .redirectErrorStream(true).start();
        unmount.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        cut();
    }

    private static void requireTools() {
        String missing = !Files.exists(Path.of("/dev/fuse")) ? "/dev/fuse"
                : !Files.isExecutable(Path.of(PYTHON)) ? PYTHON
                : !Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/fusepy"))
                        && !Files.exists(Path.of("/usr/lib/python3/dist-packages/fusepy.py")) ? "python3-fusepy"
                : !onPath("fusermount3") ? "fuse3 (fusermount3)" : null;
        if (missing != null) {
            String message = "the power-cut tests need " + missing + " (root, /dev/fuse, apt-get install fuse3 python3-fusepy)";
            if ("1".equals(System.getenv("MSIX_REQUIRE_POWERCUT"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message + "; skipped");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String log(Path root) {
        try {
            return Files.readString(root.resolve("powercut_fs.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
