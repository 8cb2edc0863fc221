package dev.nncore.train;

import dev.nncore.internal.Checks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Draws Keras's progress bar ({@code verbose=1}) to a {@link PrintStream}: a header per epoch, a bar redrawn in
 * place with {@code \r} while the epoch runs (at most every {@code updateInterval}, 50 ms by default as in Keras),
 * then the epoch's final line with its time and metrics.
 *
 * <pre>{@code
 * BackpropTrainer trainer = BackpropTrainer.builder()
 *         .loss(Loss.MEAN_SQUARED_ERROR)
 *         .epochs(10)
 *         .listener(ConsoleProgress.to(System.out))
 *         .build();
 * // Epoch 3/10
 * // 38/38 [==============================] - 0s 2ms/step - loss: 0.4321 - val_loss: 0.4712
 * }</pre>
 *
 * <p>While an epoch runs the line reads {@code 12/38 [========>.....................] - ETA: 1s - loss: 0.5210}.
 * Writes only from the fit's thread; flushes after each line. Use one instance per concurrent fit.
 *
 * @since 0.1.0
 */
public final class ConsoleProgress implements TrainingListener {

    private static final int WIDTH = 30;

    private enum Mode { SILENT, BAR, LINES }

    private final PrintStream out;
    private final long intervalNanos;
    private final Mode mode;
    private long epochStart;
    private long lastDraw;
    private int drawnLength;

    private ConsoleProgress(PrintStream out, Duration updateInterval) {
        this(out, updateInterval, Mode.BAR);
    }

    private ConsoleProgress(PrintStream out, Duration updateInterval, Mode mode) {
        this.mode = mode;
        this.out = Checks.notNull(out, "out");
        Checks.notNull(updateInterval, "updateInterval");
        if (updateInterval.isNegative()) {
            throw new IllegalArgumentException("updateInterval must not be negative, got " + updateInterval);
        }
        this.intervalNanos = updateInterval.toNanos();
    }

    /**
     * A progress bar redrawn at most every 50 ms, as Keras's.
     *
     * @param out where to draw, e.g. {@code System.out}
     * @return the listener
     */
    public static ConsoleProgress to(PrintStream out) {
        return to(out, Duration.ofMillis(50));
    }

    /**
     * A progress bar redrawn at most every {@code updateInterval}; {@link Duration#ZERO} redraws after every batch.
     *
     * @param out where to draw
     * @param updateInterval the least time between redraws within an epoch
     * @return the listener
     */
    public static ConsoleProgress to(PrintStream out, Duration updateInterval) {
        return new ConsoleProgress(out, updateInterval);
    }

    /**
     * One line per epoch, written when the epoch ends: Keras's {@code verbose=2} without its separate
     * {@code Epoch 3/10} line, so a 300-epoch fit prints 300 lines.
     * <pre>{@code
     * ConsoleProgress lines = ConsoleProgress.perEpoch(System.out);
     * // Epoch 3/10 - 38/38 - 0s - 2ms/step - loss: 0.4321 - val_loss: 0.4712
     * }</pre>
     *
     * @param out where to write
     * @return the listener
     */
    public static ConsoleProgress perEpoch(PrintStream out) {
        return new ConsoleProgress(out, Duration.ZERO, Mode.LINES);
    }

    /**
     * Keras's {@code verbose} argument of {@code fit}: 0 silent, 1 the progress bar ({@link #to(PrintStream)}),
     * 2 one line per epoch ({@link #perEpoch(PrintStream)}).
     * <pre>{@code
     * ConsoleProgress quiet = ConsoleProgress.verbose(System.out, 0);   // prints nothing
     * }</pre>
     *
     * @param out where to write
     * @param verbose 0, 1 or 2
     * @return the listener
     * @throws IllegalArgumentException for another value
     */
    public static ConsoleProgress verbose(PrintStream out, int verbose) {
        return switch (verbose) {
            case 0 -> new ConsoleProgress(out, Duration.ZERO, Mode.SILENT);
            case 1 -> to(out);
            case 2 -> perEpoch(out);
            default -> throw new IllegalArgumentException("verbose must be 0 (silent), 1 (progress bar) or 2 (one line"
                    + " per epoch), got " + verbose);
        };
    }

    @Override
    public void onEpochBegin(TrainingRun run, int epoch) {
        if (mode != Mode.BAR) {
            epochStart = System.nanoTime();
            return;
        }
        out.println("Epoch " + (epoch + 1) + "/" + run.epochs());
        epochStart = System.nanoTime();
        lastDraw = epochStart;
        drawnLength = 0;
    }

    @Override
    public void onBatchEnd(TrainingRun run, int epoch, int batch, double loss) {
        if (mode != Mode.BAR) {
            return;
        }
        int done = batch + 1;
        long now = System.nanoTime();
        if (done == run.batchesPerEpoch() || now - lastDraw < intervalNanos) {
            return; // the final line is drawn at epoch end, with the validation metrics
        }
        lastDraw = now;
        if (run.batchesPerEpoch() < 0) { // a batch source in its first epoch: no total yet, as Keras's "Unknown"
            draw(done + "/Unknown - loss: " + format(loss), false);
            return;
        }
        double perBatch = (now - epochStart) / (double) done;
        long eta = Math.round(perBatch * (run.batchesPerEpoch() - done) / 1e9);
        draw(bar(done, run.batchesPerEpoch()) + " - ETA: " + formatEta(eta) + " - loss: " + format(loss), false);
    }

    @Override
    public void onEpochEnd(TrainingRun run, int epoch) {
        if (mode == Mode.SILENT) {
            return;
        }
        long elapsed = System.nanoTime() - epochStart;
        int batches = run.batchesPerEpoch();
        StringBuilder line = new StringBuilder();
        if (mode == Mode.LINES) {
            int digits = String.valueOf(batches).length();
            line.append("Epoch ").append(epoch + 1).append('/').append(run.epochs()).append(" - ")
                    .append(String.format(Locale.ROOT, "%" + digits + "d/%d", batches, batches)).append(" - ")
                    .append(Math.round(elapsed / 1e9)).append("s - ").append(perStep(elapsed / (double) batches));
        } else {
            line.append(bar(batches, batches)).append(" - ").append(Math.round(elapsed / 1e9)).append("s ")
                    .append(perStep(elapsed / (double) batches));
        }
        for (Map.Entry<String, Double> entry : run.logs().entrySet()) {
            line.append(" - ").append(entry.getKey()).append(": ").append(format(entry.getValue()));
        }
        if (mode == Mode.LINES) {
            out.println(line);
            out.flush();
            return;
        }
        draw(line.toString(), true);
    }

    private void draw(String line, boolean last) {
        StringBuilder text = new StringBuilder();
        if (drawnLength > 0) {
            text.append('\r');
        }
        text.append(line);
        if (line.length() < drawnLength) {
            text.append(" ".repeat(drawnLength - line.length()));
        }
        drawnLength = last ? 0 : line.length();
        if (last) {
            out.println(text);
        } else {
            out.print(text);
        }
        out.flush();
    }

    /** Keras's {@code Progbar}: {@code 12/38 [========>.....................]}. */
    static String bar(int current, int target) {
        int digits = String.valueOf(target).length();
        StringBuilder bar = new StringBuilder(String.format(Locale.ROOT, "%" + digits + "d/%d [", current, target));
        int filled = (int) (WIDTH * (double) current / target);
        if (filled > 0) {
            bar.append("=".repeat(filled - 1)).append(current < target ? '>' : '=');
        }
        return bar.append(".".repeat(WIDTH - filled)).append(']').toString();
    }

    private static String formatEta(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    private static String perStep(double nanos) {
        if (nanos >= 1e9) {
            return String.format(Locale.ROOT, "%.0fs/step", nanos / 1e9);
        }
        if (nanos >= 1e6) {
            return String.format(Locale.ROOT, "%.0fms/step", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.0fus/step", nanos / 1e3);
    }

    private static String format(double value) {
        return Math.abs(value) >= 1e-3 || value == 0 ? String.format(Locale.ROOT, "%.4f", value)
                : String.format(Locale.ROOT, "%.4e", value);
    }
}
