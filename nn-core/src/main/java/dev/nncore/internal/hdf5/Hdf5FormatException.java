package dev.nncore.internal.hdf5;

import java.io.IOException;

/**
 * Thrown for every HDF5 file that is malformed, truncated or uses a feature this reader does not support.
 * The message names what was wrong and where (byte offset, object path when known).
 */
public final class Hdf5FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public Hdf5FormatException(String message) {
        super(message);
    }

    public Hdf5FormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static String hex(long offset) {
        return "0x" + Long.toHexString(offset).toUpperCase(java.util.Locale.ROOT);
    }
}
