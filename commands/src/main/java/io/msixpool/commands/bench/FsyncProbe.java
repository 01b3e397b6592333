package io.msixpool.commands.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The disk's own ceiling for one-commit-per-command durability: how many times a second a small
 * write can be forced to the device (what a durable commit needs at least once).
 */
final class FsyncProbe {
    private FsyncProbe() {
    }

    static double syncsPerSecond(Path directory, double seconds) throws IOException {
        Path file = Files.createTempFile(directory, "fsync-probe", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            int syncs = 0;
            while (System.nanoTime() < deadline) {
                page.clear();
                channel.write(page, (long) (syncs % 256) * 4096);
                channel.force(false);
                syncs++;
            }
            return syncs / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
