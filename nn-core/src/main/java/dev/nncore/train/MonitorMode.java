package dev.nncore.train;

import java.util.Locale;

/**
 * Whether a monitored metric improves by falling or rising, Keras's {@code mode} argument of {@link ModelCheckpoint}
 * and {@link ReduceLROnPlateau}.
 * <pre>{@code
 * MonitorMode mode = MonitorMode.fromKerasName("max");   // MAX
 * boolean rising = MonitorMode.AUTO.maximises("val_accuracy");   // true
 * }</pre>
 *
 * @since 0.2.0
 */
public enum MonitorMode {
    /** Maximise a metric whose name contains {@code "acc"} (and, for checkpoints, starts with {@code "fmeasure"}). */
    AUTO,
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX;

    /**
     * @param monitor the metric's name
     * @return whether higher values are better, as Keras's callbacks decide with {@code mode="auto"}
     */
    public boolean maximises(String monitor) {
        return switch (this) {
            case MIN -> false;
            case MAX -> true;
            case AUTO -> monitor.contains("acc") || monitor.startsWith("fmeasure");
        };
    }

    /** @return {@code "auto"}, {@code "min"} or {@code "max"} */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code "auto"}, {@code "min"} or {@code "max"}
     * @return the mode
     * @throws IllegalArgumentException for another name (Keras falls back to auto with a warning)
     */
    public static MonitorMode fromKerasName(String name) {
        for (MonitorMode mode : values()) {
            if (mode.kerasName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be \"auto\", \"min\" or \"max\", got " + (name == null ? "null" : "\"" + name + "\""));
    }
}
