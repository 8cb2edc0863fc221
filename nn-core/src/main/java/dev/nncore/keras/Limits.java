package dev.nncore.keras;

import java.io.IOException;

/**
 * The sizes the readers accept, so that a hostile file fails with a {@link ModelFormatException} instead of
 * exhausting memory. Each default can be raised (or lowered) with a system property, read once when the class is
 * first used. Tests lower them for one thread with {@link #overriding}.
 *
 * @param maxFileBytes largest model, weights or shard file read, and largest total of a TF.js model's shards
 * @param maxUnzippedBytes largest total of bytes inflated from one zip, and, separately, of weights decoded from one
 *     HDF5 file
 * @param maxZipEntries most entries (files and directories) read from one zip
 * @param maxJsonBytes largest JSON document parsed (a model config or model.json): parsed JSON takes many times its
 *     text in memory, and a Keras configuration, even of thousands of layers, is a few MiB
 */
record Limits(long maxFileBytes, long maxUnzippedBytes, int maxZipEntries, long maxJsonBytes) {

    /**
     * The largest array the JVM allocates: a file or zip entry of more bytes cannot be held in one {@code byte[]}
     * whatever the limits say.
     */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * The defaults: 1 GiB per file ({@code nncore.maxFileBytes}), 1 GiB unzipped ({@code nncore.maxUnzippedBytes}),
     * 10,000 zip entries ({@code nncore.maxZipEntries}), 16 MiB of JSON ({@code nncore.maxJsonBytes}).
     */
    static final Limits DEFAULTS = new Limits(Long.getLong("nncore.maxFileBytes", 1L << 30),
            Long.getLong("nncore.maxUnzippedBytes", 1L << 30), Integer.getInteger("nncore.maxZipEntries", 10_000),
            Long.getLong("nncore.maxJsonBytes", 16L << 20));

    /** Work that may read files. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws IOException;
    }

    private static final ThreadLocal<Limits> OVERRIDE = new ThreadLocal<>();

    /** The limits in force on this thread. */
    static Limits current() {
        Limits override = OVERRIDE.get();
        return override == null ? DEFAULTS : override;
    }

    /** Runs {@code action} on this thread with other limits, for tests (a zip bomb without a gigabyte of zeros). */
    static <T> T overriding(Limits limits, Action<T> action) throws IOException {
        Limits previous = OVERRIDE.get();
        OVERRIDE.set(limits);
        try {
            return action.run();
        } finally {
            OVERRIDE.set(previous);
        }
    }
}
