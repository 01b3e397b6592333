package io.msixpool.commands.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A file that only its owner may read or write (the tokens file, the checkpoint signing key), always replaced whole: the new
 * content goes to a temporary owner-only file beside it, is synced, and is renamed over it, so a
 * reader (a running {@code msix serve}) sees the old file or the new one, never a part, and a crash
 * leaves one of the two.
 */
final class OwnerOnlyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    /** Java's file locks belong to the whole JVM: threads of one JVM take turns here first. */
    private static final Object IN_THIS_JVM = new Object();

    /** A change made under the lock, given the file's content as read through the locked channel. */
    interface Change<T> {
        T apply(String content) throws IOException;
    }

    private OwnerOnlyFile() {
    }

    /** Refuses a tokens file that its group or others may read or write, naming its mode and the fix. */
    static void requirePrivate(Path file) throws IOException {
        requirePrivate(file, "tokens");
    }

    /** Refuses a file that its group or others may read or write, naming its mode, what it holds ({@code whose}) and the fix. */
    static void requirePrivate(Path file, String whose) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException noModes) {
            return; // a file system without POSIX modes has nothing to check
        }
        if (!Collections.disjoint(permissions, OTHERS)) {
            int mode = 0;
            for (PosixFilePermission permission : permissions) {
                mode |= 0400 >> permission.ordinal(); // OWNER_READ is first, OTHERS_EXECUTE last
            }
            throw new IllegalArgumentException(file + " may be read or written by others (mode "
                    + String.format("0%o", mode) + ", " + PosixFilePermissions.toString(permissions)
                    + "): " + whose + " must be its owner's only; fix it with: chmod 600 " + file);
        }
    }

    /**
     * Creates {@code file} holding {@code content}, unless it exists: the name is taken with link(2),
     * which fails when another process created the file meanwhile, so nothing is ever overwritten.
     *
     * @return false when the file existed
     */
    static boolean createNew(Path file, byte[] content) throws IOException {
        Path temp = writeTemp(file, content);
        try {
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(file);
        return true;
    }

    /** Replaces {@code file} with {@code content} atomically (temporary file, fsync, rename, fsync of the directory). */
    static void replace(Path file, byte[] content) throws IOException {
        Path temp = writeTemp(file, content);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(file);
    }

    /**
     * Runs {@code change} holding an exclusive lock on {@code file}, so that two processes changing it
     * at once cannot lose each other's change. Every change renames a new file into place, so the lock
     * is on the file the name pointed to; when the name moved on meanwhile, it is taken again. The
     * content is read through the locked channel: the lock is a POSIX record lock, which the kernel
     * drops when the process closes any other descriptor of the file.
     */
    static <T> T locked(Path file, Change<T> change) throws IOException {
        synchronized (IN_THIS_JVM) {
            while (true) {
                Object before = fileKey(file);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                     FileLock lock = channel.lock()) {
                    if (Objects.equals(before, fileKey(file))) {
                        return change.apply(readAll(channel));
                    }
                }
            }
        }
    }

    private static String readAll(FileChannel channel) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            content.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return content.toString(StandardCharsets.UTF_8);
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static Path writeTemp(Path file, byte[] content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // Owner-only from its creation: the content is never readable by others, not even briefly.
        Path temp = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** The rename is in the directory: synced too, or a power cut could bring the old file back. */
    private static void syncDirectory(Path file) throws IOException {
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
