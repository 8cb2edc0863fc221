package dev.nncore.internal.hdf5;

import java.util.Map;
import java.util.Optional;

/** An object in an HDF5 file reached through a link: a {@link Hdf5Group} or a {@link Hdf5Dataset}. */
public sealed interface Hdf5Node permits Hdf5Group, Hdf5Dataset {
    /** Absolute path through which this object was reached, e.g. {@code /model_weights/dense}. */
    String path();

    /** Attributes in stored order (compact storage) or name order (dense storage). */
    Map<String, Hdf5Attribute> attributes();

    default Optional<Hdf5Attribute> attribute(String name) {
        return Optional.ofNullable(attributes().get(name));
    }
}
