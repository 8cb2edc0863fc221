package dev.nncore.internal.hdf5;

import dev.nncore.internal.RegularFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the HDF5 reader: an HDF5 file held in memory (Keras weight files are small, and a
 * {@code .keras} zip entry arrives as bytes anyway). Reads superblock versions 0-3; every structure is checked
 * against the real file length, and every failure, including unexpected runtime errors on hostile input, surfaces
 * as {@link Hdf5FormatException}. Not thread-safe.
 */
public final class Hdf5File {
    /** Largest file {@link #open(Path)} accepts. */
    public static final long MAX_FILE_BYTES = (1L << 31) - 1024;
    /** Default limit on the bytes one dataset may decode to (guards against decompression bombs). */
    public static final long DEFAULT_MAX_DATASET_BYTES = 256L << 20;

    private final Hdf5Group root;
    private final FileContext ctx;

    private Hdf5File(Hdf5Group root, FileContext ctx) {
        this.root = root;
        this.ctx = ctx;
    }

    /**
     * Object headers and group links parsed since the file was opened: each object is parsed once however often it is
     * reached, so this grows with the objects a walk visits, not with the lookups (what the scaling tests count).
     */
    public long parseSteps() {
        return ctx.parseSteps;
    }

    /** Opens a file from its complete contents (the array is not copied and must not change afterwards). */
    public static Hdf5File open(byte[] contents) throws Hdf5FormatException {
        return open(contents, DEFAULT_MAX_DATASET_BYTES);
    }

    /** As {@link #open(byte[])}, with a custom limit on the decoded size of any one dataset. */
    public static Hdf5File open(byte[] contents, long maxDatasetBytes) throws Hdf5FormatException {
        if (maxDatasetBytes <= 0) {
            throw new IllegalArgumentException("maxDatasetBytes must be positive");
        }
        try {
            FileContext ctx = FileContext.open(contents, maxDatasetBytes);
            return new Hdf5File(Hdf5Group.openRoot(ctx), ctx);
        } catch (RuntimeException | StackOverflowError e) {
            throw Hdf5File.unexpected(e);
        }
    }

    /**
     * Reads and opens a file, refusing files larger than {@link #MAX_FILE_BYTES} and paths that are not regular files
     * (directories, devices, FIFOs), without reading past the limit whatever size the path reports.
     */
    public static Hdf5File open(Path file) throws IOException {
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        if (size > MAX_FILE_BYTES) {
            throw new Hdf5FormatException(file + " is " + size + " bytes; files over " + MAX_FILE_BYTES
                    + " bytes are not supported");
        }
        try {
            return open(RegularFiles.read(file, MAX_FILE_BYTES));
        } catch (RegularFiles.RefusedException e) {
            throw new Hdf5FormatException(file + ": " + e.getMessage());
        }
    }

    /** The root group {@code /}. */
    public Hdf5Group root() {
        return root;
    }

    /** A parsing step that may fail with a format error. */
    @FunctionalInterface
    interface Parse<T> {
        T run() throws Hdf5FormatException;
    }

    /** Runs a parsing step at the public boundary, turning any runtime failure into a format error. */
    static <T> T guard(Parse<T> step) throws Hdf5FormatException {
        try {
            return step.run();
        } catch (RuntimeException | StackOverflowError e) {
            throw unexpected(e);
        }
    }

    /** Last line of defence: a runtime error while parsing hostile bytes is still a format error. */
    static Hdf5FormatException unexpected(Throwable e) {
        return new Hdf5FormatException("malformed HDF5 file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
}
