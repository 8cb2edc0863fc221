package dev.nncore.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a whole input file into memory with a bound: whatever the path is (a directory, {@code /}, a device such as
 * {@code /dev/zero}, a FIFO, a file that grows while it is read), the result is the file's bytes, at most
 * {@code limit} of them, or an {@link IOException} saying what the path is. Never more memory than the limit, never a
 * runtime exception.
 */
public final class RegularFiles {

    /** A path that is not a readable regular file, or one over the limit: the message says which, without the name. */
    public static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    private RegularFiles() {
    }

    /**
     * The name to show for a path: its last element, the whole path for {@code /} and the like, or the absolute path
     * for the empty path (the working directory).
     */
    public static String name(Path file) {
        Path name = file.getFileName();
        String text = name == null ? file.toString() : name.toString();
        return text.isEmpty() ? file.toAbsolutePath().toString() : text;
    }

    /**
     * @param file the file to read (symbolic links are followed: the caller chose the path)
     * @param limit the most bytes to accept
     * @return its bytes
     * @throws RefusedException if the path is a directory, not a regular file, empty, or holds more than {@code limit}
     *     bytes (also when it grows past the limit while being read)
     * @throws IOException if it cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     */
    public static byte[] read(Path file, long limit) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new RefusedException("is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new RefusedException("is not a regular file (a device, FIFO or socket)");
        }
        if (attributes.size() > limit) {
            throw new RefusedException(attributes.size() + " bytes, over the limit of " + limit);
        }
        try (ReadableByteChannel channel = Files.newByteChannel(file)) {
            return readAtMost(channel, limit, attributes.size());
        }
    }

    /**
     * Reads a channel to its end, refusing more than {@code limit} bytes, however large the channel says it is: the
     * buffer grows with the bytes really read, not with a declared size. A file of exactly {@code expected} bytes is
     * read into one array of that size, without a copy.
     */
    public static byte[] readAtMost(ReadableByteChannel channel, long limit, long expected) throws IOException {
        long cap = Math.min(limit, Integer.MAX_VALUE - 8L);
        byte[] buffer = new byte[(int) Math.max(1, Math.min(cap, expected > 0 ? expected : 64 * 1024))];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                ByteBuffer probe = ByteBuffer.allocate(1);
                int extra;
                do {
                    extra = channel.read(probe);
                } while (extra == 0);
                if (extra < 0) {
                    break; // exactly full: no copy
                }
                if (length >= cap) {
                    throw new RefusedException("over the limit of " + limit + " bytes (it grew while being read)");
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(cap, (long) buffer.length * 2));
                buffer[length++] = probe.get(0);
                continue;
            }
            int read = channel.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
            if (read < 0) {
                break;
            }
            length += read;
        }
        if (length == 0) {
            throw new RefusedException("the file is empty");
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }
}
