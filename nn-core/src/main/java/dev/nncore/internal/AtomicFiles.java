package dev.nncore.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a half-written file:
 * the bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is then moved
 * over the target. If anything fails, the temporary file is deleted and the target is untouched.
 *
 * <p>Only regular files are replaced: a target that is a directory, a device, a FIFO or a socket is refused with an
 * {@link IOException} naming it, before anything is written. A target that is a symbolic link is written through: the
 * file the link points to is replaced (atomically, in its own directory) and the link stays. Temporary files that
 * an earlier save of the same target left behind when its process died ({@code .NAME.digits.tmp}, older than a
 * minute and not locked by a live writer) are deleted by the next save of that target.
 */
public final class AtomicFiles {

    /** Writes the new contents; may throw to abandon the write. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the temporary file's stream; do not close it
         * @throws IOException to abandon the write
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Ends a failure injection ({@link #failWrite}, {@link #failMove}); closing it twice is harmless. */
    public interface Injection extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A failure a test asked for: writes to a file of this name on this thread stop with an {@link IOException}
     * after {@code afterBytes} bytes or, with {@code atMove}, when the finished file is moved into place.
     */
    private record Failure(String fileName, long afterBytes, boolean atMove) {
    }

    private static final ThreadLocal<Failure> FAILURE = new ThreadLocal<>();

    private AtomicFiles() {
    }

    /**
     * Test hook: on this thread, until closed, writing a file named {@code fileName} fails with
     * {@code IOException("injected failure after N bytes of NAME")} once {@code afterBytes} of its bytes have reached
     * the temporary file, as a full disk would.
     *
     * @param fileName the target's file name, e.g. {@code model.keras}
     * @param afterBytes bytes written before the failure
     * @return closes the injection
     */
    public static Injection failWrite(String fileName, long afterBytes) {
        FAILURE.set(new Failure(fileName, afterBytes, false));
        return FAILURE::remove;
    }

    /**
     * Test hook: on this thread, until closed, moving a finished temporary file over a file named {@code fileName}
     * fails with {@code IOException("injected failure moving NAME")}.
     *
     * @param fileName the target's file name
     * @return closes the injection
     */
    public static Injection failMove(String fileName) {
        FAILURE.set(new Failure(fileName, 0, true));
        return FAILURE::remove;
    }

    /**
     * @param target the file to create or replace
     * @param writer what to write
     * @throws IOException if writing or moving fails; {@code target} is then as it was
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = destination(target);
        Path temporary = writeTemporary(absolute, writer);
        boolean moved = false;
        try {
            move(temporary, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * @param target the file to create or replace
     * @param bytes its new contents
     * @throws IOException if writing or moving fails; {@code target} is then as it was
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces files that belong together, such as a TF.js shard and the {@code model.json} that describes it: every
     * new file is written completely beside its target before any target is touched, so a failed write changes
     * nothing. The moves then go in order; if one fails, the targets already replaced are put back as they were. Only
     * a crash between two moves, a window of microseconds, can leave some targets new and others old.
     *
     * @param contents each target and its new bytes, in the order to move them (e.g. a {@link LinkedHashMap})
     * @throws IOException if a write or a move fails; the targets are then as they were
     */
    public static void writeAll(Map<Path, byte[]> contents) throws IOException {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        Map<Path, Path> backups = new LinkedHashMap<>();
        List<Path> replaced = new ArrayList<>();
        boolean done = false;
        try {
            for (Map.Entry<Path, byte[]> entry : contents.entrySet()) {
                Path target = destination(entry.getKey());
                byte[] bytes = entry.getValue();
                temporaries.put(target, writeTemporary(target, out -> out.write(bytes)));
            }
            for (Map.Entry<Path, Path> entry : temporaries.entrySet()) {
                Path target = entry.getKey();
                if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    Path backup = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".old.tmp");
                    Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    // the old file's time came with its attributes: a fresh backup must not look like a crash's leftover
                    Files.setLastModifiedTime(backup, FileTime.fromMillis(System.currentTimeMillis()));
                    backups.put(target, backup);
                }
                move(entry.getValue(), target);
                replaced.add(target);
            }
            done = true;
        } finally {
            if (!done) {
                for (Path target : replaced) {
                    Path backup = backups.remove(target);
                    if (backup != null) {
                        move(backup, target);
                    } else {
                        Files.deleteIfExists(target);
                    }
                }
            }
            for (Path temporary : temporaries.values()) {
                Files.deleteIfExists(temporary);
            }
            for (Path backup : backups.values()) {
                Files.deleteIfExists(backup);
            }
        }
    }

    /** How long a temporary file must have been left untouched before a later save treats it as a crash's. */
    static final long STALE_MILLIS = 60_000;

    /**
     * The regular file a save of {@code target} replaces: the target itself, or the file a symbolic link at the target
     * points to (followed to its end); refused if that is the root, a directory, or not a regular file.
     */
    static Path destination(Path target) throws IOException {
        Path current = target.toAbsolutePath();
        for (int links = 0; ; links++) {
            if (current.getFileName() == null || current.getParent() == null) {
                throw new FileSystemException(target.toString(), null, "is the root directory, not a file");
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return current; // a new file
            }
            if (attributes.isSymbolicLink()) {
                if (links >= 40) {
                    throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
                }
                current = current.getParent().resolve(Files.readSymbolicLink(current)).toAbsolutePath();
                continue;
            }
            if (attributes.isDirectory()) {
                throw new FileSystemException(target.toString(), null, "is a directory, not a file");
            }
            if (!attributes.isRegularFile()) {
                throw new FileSystemException(target.toString(), null, "is not a regular file (a device, FIFO or"
                        + " socket); a save only replaces regular files");
            }
            return current;
        }
    }

    /** Writes a private temporary file beside {@code target} and forces it to disk; deletes it if anything fails. */
    @SuppressWarnings("try")   // the lock is held for the try block's sake, never referenced in it
    private static Path writeTemporary(Path target, Writer writer) throws IOException {
        Path directory = target.getParent();
        Files.createDirectories(directory);
        deleteStaleTemporaries(target);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        boolean written = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    FileLock lock = tryLock(channel)) { // tells a concurrent save in another process that this file is live
                OutputStream out = failing(Channels.newOutputStream(channel), target);
                writer.writeTo(out);
                out.flush();
                channel.force(true);
            }
            copyPermissions(target, temporary);
            written = true;
            return temporary;
        } finally {
            if (!written) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            return null; // locks are advisory help for the clean-up, not needed for correctness
        }
    }

    /**
     * Deletes the temporary files ({@code .NAME.<digits>.tmp}, {@code .NAME.<digits>.old.tmp}) that saves of
     * {@code target} killed before they could clean up left beside it: those not modified for {@link #STALE_MILLIS}
     * and not locked by a save still running. Best effort: a file that cannot be deleted is left.
     */
    static void deleteStaleTemporaries(Path target) {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.-?\\d+(\\.old)?\\.tmp");
        long before = System.currentTimeMillis() - STALE_MILLIS;
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(target.getParent(),
                path -> ours.matcher(path.getFileName().toString()).matches())) {
            for (Path candidate : candidates) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!attributes.isRegularFile() || attributes.lastModifiedTime().compareTo(FileTime.fromMillis(before)) > 0) {
                        continue;
                    }
                    try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                            FileLock lock = channel.tryLock()) {
                        if (lock != null) {
                            Files.delete(candidate);
                        }
                    } catch (OverlappingFileLockException e) {
                        // a save in this JVM holds it
                    }
                } catch (IOException e) {
                    // gone already, or not ours to delete
                }
            }
        } catch (IOException e) {
            // an unreadable directory: the save itself will report what is wrong
        }
    }

    private static void move(Path temporary, Path target) throws IOException {
        Failure failure = FAILURE.get();
        if (failure != null && failure.atMove() && failure.fileName().equals(target.getFileName().toString())) {
            throw new IOException("injected failure moving " + failure.fileName());
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code out}, or, under {@link #failWrite} for this target, a stream that fails after the given bytes. */
    private static OutputStream failing(OutputStream out, Path target) {
        Failure failure = FAILURE.get();
        if (failure == null || failure.atMove() || !failure.fileName().equals(target.getFileName().toString())) {
            return out;
        }
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                int allowed = (int) Math.max(0, Math.min(length, failure.afterBytes() - written));
                out.write(bytes, offset, allowed);
                written += allowed;
                if (allowed < length) {
                    throw new IOException("injected failure after " + failure.afterBytes() + " bytes of " + failure.fileName());
                }
            }
        };
    }

    /**
     * A temporary file is private (rw-------); give the new file the old one's permissions, or rw-r--r-- as a new
     * file gets under the usual umask 022, where the file system has POSIX permissions.
     */
    private static void copyPermissions(Path target, Path temporary) throws IOException {
        if (!Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temporary, permissions);
    }
}
