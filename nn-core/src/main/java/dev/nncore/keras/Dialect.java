package dev.nncore.keras;

/**
 * Which Keras wrote a file, where the same name means different maths: Keras 2's {@code hard_sigmoid} is
 * {@code clip(0.2 x + 0.5, 0, 1)}, Keras 3's {@code relu6(x + 3) / 6}. TensorFlow.js computes Keras 2's.
 */
enum Dialect {
    /** Keras 1 and 2, tf.keras, and TensorFlow.js. */
    KERAS_2,
    /** Keras 3. */
    KERAS_3;

    /**
     * The dialect a {@code keras_version} string names: {@code "2.13.1"}, {@code "2.2.4-tf"} and {@code "1.2.2"} are
     * Keras 2's, {@code "3.6.0"} Keras 3's; anything else (absent, {@code "tfjs-layers 4.5.0"}) is {@code otherwise}.
     */
    static Dialect ofVersion(String version, Dialect otherwise) {
        if (version == null) {
            return otherwise;
        }
        String trimmed = version.trim();
        int end = 0;
        while (end < trimmed.length() && end < 9 && Character.isDigit(trimmed.charAt(end))) {
            end++;
        }
        if (end == 0 || end < trimmed.length() && trimmed.charAt(end) != '.') {
            return otherwise;
        }
        return Integer.parseInt(trimmed.substring(0, end)) < 3 ? KERAS_2 : KERAS_3;
    }
}
