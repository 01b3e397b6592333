package io.msixpool.commands.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store's one-writer rule, made visible: the writing process holds an OS lock on
 * {@code STORE/writer.lock} (released by the kernel however the process ends, SIGKILL included) and
 * writes into the file who it is, so that a second writer is told at once which process to stop or
 * to send its commands to, instead of waiting on SQLite's lock and failing with a database error.
 */
final class WriterLock {
    static final String FILE = "writer.lock";
    private static final String MAIN_CLASS = "io.msixpool.commands.cli.Msix";

    /**
     * Stores this process writes. A second engine of this process on one of them is refused here,
     * before it opens the lock file: closing any descriptor of a file drops the process's POSIX locks
     * on it, so even a failed second attempt would have released the first engine's lock.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws StoreInUse when another process (or another engine in this one) writes the store */
    static WriterLock take(Path directory) {
        Path file = directory.resolve(FILE);
        if (!HELD.add(directory)) {
            throw new StoreInUse("the embedded store " + directory + " is already being written by this process");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new StoreInUse("the embedded store " + directory + " is being written by "
                        + (holder.isEmpty() ? "another process" : holder) + "; it takes one writer at a time: "
                        + "send commands to that process over HTTP (POST /v1/commands, docs/http.md) or stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((describeThisProcess() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WriterLock(directory, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(directory);
            closeQuietly(channel);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("cannot take the writer lock " + file, (IOException) e);
        }
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel or the process; nothing is left to undo
        } finally {
            HELD.remove(directory);
        }
    }

    /** "pid 1234 (msix serve --store ./store) since 2026-12-05T16:50:00Z". */
    private static String describeThisProcess() {
        // HotSpot's own record of the main class and its arguments, as the launcher started them
        String command = System.getProperty("sun.java.command", "");
        String described = command.startsWith(MAIN_CLASS + " ") ? "msix" + command.substring(MAIN_CLASS.length())
                : ProcessHandle.current().info().command().orElse("a Java process");
        return "pid " + ProcessHandle.current().pid() + " (" + described.strip() + ") since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
