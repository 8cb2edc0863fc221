package dev.nncore.train;

import dev.nncore.internal.Checks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes each epoch's logs to a CSV file, Keras's {@code CSVLogger} callback
 * ({@code keras/src/callbacks/csv_logger.py}): a header {@code epoch} then the first epoch's log keys sorted (plus
 * {@code val_} twins of them all when the first epoch has no {@code val_} key, as Keras does for
 * {@code validation_freq}), then one row per epoch with the epoch from 0 and Python's {@code repr} of each value
 * ({@code 0.25}, {@code 1e-05}, {@code nan}), {@code NA} for a key the epoch lacks. Lines end with {@code \r\n}, as
 * Python's {@code csv.excel}. The file is flushed after each row.
 *
 * <pre>{@code
 * Path file = Files.createTempFile("training", ".csv");
 * BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(2).listener(CsvLogger.to(file)).build()
 *         .fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(), Matrix.column(1, 2), Matrix.column(2, 4));
 * // epoch,loss,val_loss
 * // 0,3.2137...,NA
 * }</pre>
 *
 * <p>Holds the open file of the fit it listens to: one instance per concurrent fit.
 *
 * @since 0.2.0
 */
public final class CsvLogger implements TrainingListener {

    private final Path file;
    private final char separator;
    private final boolean append;
    private BufferedWriter writer;
    private List<String> keys;
    private boolean header;

    private CsvLogger(Path file, char separator, boolean append) {
        this.file = Checks.notNull(file, "file");
        this.separator = separator;
        this.append = append;
    }

    /**
     * @param file the CSV file, replaced when a fit begins
     * @return the callback, with Keras's defaults: separator {@code ,}, no appending
     */
    public static CsvLogger to(Path file) {
        return new CsvLogger(file, ',', false);
    }

    /**
     * @param file the CSV file
     * @param separator between values
     * @param append whether to add to an existing file (without a second header if it is not empty), Keras's
     *     {@code append=True}
     * @return the callback
     */
    public static CsvLogger to(Path file, char separator, boolean append) {
        return new CsvLogger(file, separator, append);
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        try {
            header = !(append && Files.exists(file) && Files.size(file) > 0);
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            keys = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for the CSV log", e);
        }
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        Map<String, Double> logs = run.logs();
        try {
            if (keys == null) {
                keys = new ArrayList<>(logs.keySet());
                keys.sort(null);
                if (keys.stream().noneMatch(k -> k.startsWith("val_"))) {
                    List<String> twins = keys.stream().map(k -> "val_" + k).toList();
                    keys.addAll(twins);
                }
                if (header) {
                    StringBuilder line = new StringBuilder("epoch");
                    for (String key : keys) {
                        line.append(separator).append(key);
                    }
                    writer.write(line.append("\r\n").toString());
                }
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String key : keys) {
                Double value = logs.get(key);
                row.append(separator).append(value == null ? "NA" : pythonRepr(value));
            }
            writer.write(row.append("\r\n").toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CSV log " + file, e);
        }
    }

    @Override
    public void onTrainEnd(TrainingRun run) {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the CSV log " + file, e);
        } finally {
            writer = null;
        }
    }

    /** Python's {@code repr(float)}: the shortest digits (as Java's), scientific below 1e-4 and from 1e16. */
    static String pythonRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        String sign = value < 0 ? "-" : "";
        if (exponent >= -5 + 1 && exponent < 16) {
            String plain = decimal.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /** @return e.g. {@code CsvLogger[training.csv]} */
    @Override
    public String toString() {
        return "CsvLogger[" + file + "]";
    }
}
