package dev.nncore.train;

import dev.nncore.internal.Checks;
import dev.nncore.keras.Keras;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model as a {@code .keras} file after epochs, Keras 3's {@code ModelCheckpoint} callback
 * ({@code keras/src/callbacks/model_checkpoint.py}) with {@code save_freq="epoch"}: every epoch, or with
 * {@code saveBestOnly} only when the monitored metric beats the best so far (strictly; no {@code min_delta}). The
 * path may hold Python format fields as Keras's: {@code {epoch}} (from 1), {@code {epoch:02d}}, or a log key such as
 * {@code {val_loss:.4f}}. Each file is written with {@link Keras#save}, atomically: a reader never sees half a file.
 *
 * <pre>{@code
 * Path dir = Files.createTempDirectory("checkpoints");
 * ModelCheckpoint best = ModelCheckpoint.builder(dir.resolve("best.keras"))
 *         .monitor("val_loss").saveBestOnly(true)
 *         .build();
 * ModelCheckpoint every = ModelCheckpoint.builder(dir.resolve("model-{epoch:02d}-{loss:.3f}.keras")).build();
 * }</pre>
 *
 * <p>An epoch whose logs lack the monitored metric is skipped, as Keras warns and skips. Holds the best value of the
 * fit it listens to, reset when a fit begins: one instance per concurrent fit.
 *
 * @since 0.2.0
 */
public final class ModelCheckpoint implements TrainingListener {

    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

    private final String filepath;
    private final String monitor;
    private final MonitorMode mode;
    private final boolean saveBestOnly;
    private final double initialValueThreshold;
    private final boolean maximise;
    private double best;

    private ModelCheckpoint(Builder builder) {
        filepath = builder.filepath;
        monitor = builder.monitor;
        mode = builder.mode;
        saveBestOnly = builder.saveBestOnly;
        initialValueThreshold = builder.initialValueThreshold;
        maximise = mode.maximises(monitor);
        reset();
    }

    /**
     * @param filepath where to save; must end in {@code .keras}, as Keras 3 requires; may hold format fields
     * @return a builder with Keras's defaults: monitor {@code "val_loss"}, mode auto, every epoch
     */
    public static Builder builder(Path filepath) {
        return new Builder(filepath);
    }

    private void reset() {
        best = !Double.isNaN(initialValueThreshold) ? initialValueThreshold
                : maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        reset();
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        Map<String, Double> logs = run.logs();
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null || !(maximise ? current > best : current < best)) {
                return;
            }
            best = current;
        }
        Path target = Path.of(format(filepath, epoch + 1, logs));
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Keras.save(run.network(), target);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint cannot write " + target, e);
        }
    }

    /** Python's {@code str.format(epoch=..., **logs)} for the fields Keras's paths use. */
    static String format(String pattern, int epoch, Map<String, Double> logs) {
        Matcher matcher = FIELD.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group(1);
            String spec = matcher.group(2);
            String text;
            if (key.equals("epoch")) {
                text = spec == null ? String.valueOf(epoch) : String.format(Locale.ROOT, "%" + spec, epoch);
            } else {
                Double value = logs.get(key);
                if (value == null) {
                    throw new IllegalArgumentException("ModelCheckpoint path \"" + pattern + "\" uses {" + key
                            + "} but this epoch's logs have only " + logs.keySet());
                }
                text = spec == null ? CsvLogger.pythonRepr(value) : String.format(Locale.ROOT, "%" + spec, value);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** @return the best value of the monitored metric in the last fit */
    public double best() {
        return best;
    }

    /** @return e.g. {@code ModelCheckpoint[best.keras, monitor=val_loss, mode=auto, saveBestOnly=true]} */
    @Override
    public String toString() {
        return "ModelCheckpoint[" + filepath + ", monitor=" + monitor + ", mode=" + mode.kerasName() + ", saveBestOnly="
                + saveBestOnly + "]";
    }

    /**
     * Options with Keras's names and defaults.
     * <pre>{@code
     * ModelCheckpoint.Builder builder = ModelCheckpoint.builder(Path.of("best.keras")).monitor("val_accuracy");
     * }</pre>
     */
    public static final class Builder {
        private final String filepath;
        private String monitor = History.VAL_LOSS;
        private MonitorMode mode = MonitorMode.AUTO;
        private boolean saveBestOnly;
        private double initialValueThreshold = Double.NaN;

        private Builder(Path filepath) {
            Checks.notNull(filepath, "filepath");
            this.filepath = filepath.toString();
            if (!this.filepath.endsWith(".keras")) {
                throw new IllegalArgumentException("the filepath must end in .keras, as Keras 3's ModelCheckpoint requires;"
                        + " got \"" + this.filepath + "\"");
            }
        }

        /**
         * @param metric the logs key to watch; default {@code "val_loss"}
         * @return this builder
         */
        public Builder monitor(String metric) {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("monitor must name a metric, e.g. \"val_loss\", got "
                        + (metric == null ? "null" : "\"" + metric + "\""));
            }
            monitor = metric;
            return this;
        }

        /**
         * @param value whether the metric should fall or rise; default {@link MonitorMode#AUTO}
         * @return this builder
         */
        public Builder mode(MonitorMode value) {
            mode = Checks.notNull(value, "mode");
            return this;
        }

        /**
         * @param value whether to save only epochs that beat the best so far; default false (every epoch)
         * @return this builder
         */
        public Builder saveBestOnly(boolean value) {
            saveBestOnly = value;
            return this;
        }

        /**
         * @param value Keras's {@code initial_value_threshold}: the value to beat before the first save (with
         *     {@code saveBestOnly}); finite
         * @return this builder
         */
        public Builder initialValueThreshold(double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("initialValueThreshold must be finite, got " + value);
            }
            initialValueThreshold = value;
            return this;
        }

        /** @return the callback */
        public ModelCheckpoint build() {
            return new ModelCheckpoint(this);
        }
    }
}
