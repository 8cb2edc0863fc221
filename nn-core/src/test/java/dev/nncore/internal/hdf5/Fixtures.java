package dev.nncore.internal.hdf5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Loads test resources: plain HDF5 files, and {@code model.weights.h5} out of {@code .keras} zips. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] kerasWeights(String kerasFile) {
        try (ZipInputStream zip = new ZipInputStream(Fixtures.class.getResourceAsStream("/keras-models/" + kerasFile))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("model.weights.h5")) {
                    return zip.readAllBytes();
                }
            }
            throw new IllegalStateException(kerasFile + " has no model.weights.h5");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Hdf5Group open(byte[] bytes) throws Hdf5FormatException {
        return Hdf5File.open(bytes).root();
    }

    /**
     * Visits every reachable object and reads every value, counting objects; format errors of one member are
     * counted and the walk goes on, so one corrupt structure does not hide the others.
     */
    static int walk(Hdf5Group group) {
        int visited = 1;
        visited += readAttributes(group);
        for (String name : group.memberNames()) {
            try {
                Hdf5Node node = group.get(name).orElseThrow();
                if (node instanceof Hdf5Group g) {
                    visited += walk(g);
                } else {
                    Hdf5Dataset d = (Hdf5Dataset) node;
                    visited += 1 + readAttributes(d);
                    readValues(d);
                }
            } catch (Hdf5FormatException e) {
                visited++;
            }
        }
        return visited;
    }

    private static int readAttributes(Hdf5Node node) {
        for (Hdf5Attribute a : node.attributes().values()) {
            try {
                switch (a.dataType().kind()) {
                    case FIXED_STRING, VARIABLE_STRING -> a.stringValues();
                    case SIGNED_INTEGER, UNSIGNED_INTEGER -> a.longValues();
                    case FLOAT -> a.doubleValues();
                    default -> a.stringValues();
                }
            } catch (Hdf5FormatException expected) {
                // malformed or unsupported: fine
            }
        }
        return node.attributes().size();
    }

    private static void readValues(Hdf5Dataset d) throws Hdf5FormatException {
        switch (d.dataType().kind()) {
            case FIXED_STRING, VARIABLE_STRING -> d.readStrings();
            case FLOAT -> d.readFloats();
            case SIGNED_INTEGER, UNSIGNED_INTEGER -> d.readLongs();
            default -> d.readDoubles();
        }
    }
}
