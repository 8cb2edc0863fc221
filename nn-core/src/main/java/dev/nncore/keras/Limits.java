package dev.nncore.keras;

/**
 * The sizes the readers accept, so that a hostile file fails with a {@link ModelFormatException} instead of
 * exhausting memory. Each can be raised with a system property.
 */
final class Limits {

    /** Largest model or weights file read, in bytes ({@code nncore.maxFileBytes}, default 1 GiB). */
    static final long MAX_FILE_BYTES = Long.getLong("nncore.maxFileBytes", 1L << 30);

    /** Largest total of bytes unpacked from one zip ({@code nncore.maxUnzippedBytes}, default 1 GiB). */
    static final long MAX_UNZIPPED_BYTES = Long.getLong("nncore.maxUnzippedBytes", 1L << 30);

    /** Most entries read from one zip ({@code nncore.maxZipEntries}, default 10,000). */
    static final int MAX_ZIP_ENTRIES = Integer.getInteger("nncore.maxZipEntries", 10_000);

    private Limits() {
    }
}
