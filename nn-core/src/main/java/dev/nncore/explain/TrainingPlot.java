package dev.nncore.explain;

import dev.nncore.train.History;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart of a fit's {@link History}: the training loss and, if the fit had validation data, the validation
 * loss per epoch, as SVG with axes, ticks and a legend; optionally with a logarithmic loss axis.
 *
 * <pre>{@code
 * // given: trainer, network, x, y
 * TrainingResult result = trainer.fit(network, x, y);
 * String svg = TrainingPlot.of(result.history()).toSvg();
 * String log = TrainingPlot.of(result.history()).withLogScale(true).withTitle("XOR, Adam 0.05").toSvg();
 * }</pre>
 *
 * <p>The epoch axis runs from 1 to the number of epochs; the loss axis from 0 (or the smallest loss, if one is
 * negative) to just above the largest loss, or over whole decades on a log scale. Points that cannot be drawn
 * (NaN, infinite, or not positive on a log scale) leave a gap in their line. Epochs are marked with dots when
 * there are at most 40. The legend stands right of the plot, clear of the curves, and each axis writes all its ticks
 * in one format: plain decimals ({@code 0.0001} to {@code 10000}), or, if a tick needs it, all in scientific notation
 * ({@code 1e-8}, {@code 1e-6}, ...).
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return new plots.
 *
 * @since 0.1.0
 */
public final class TrainingPlot {

    private static final int WIDTH = 840;
    private static final int HEIGHT = 420;
    private static final int LEFT = 78;
    /** Room right of the plot for the legend, which so never covers a curve. */
    private static final int RIGHT = 144;
    private static final int LEGEND_WIDTH = 110;
    private static final int TOP = 44;
    private static final int BOTTOM = 56;
    private static final String[] COLOURS = {"#1f5fa8", "#e67e22"};

    private final List<Double> loss;
    private final List<Double> validationLoss;
    private final boolean logScale;
    private final String title;

    private TrainingPlot(List<Double> loss, List<Double> validationLoss, boolean logScale, String title) {
        this.loss = loss;
        this.validationLoss = validationLoss;
        this.logScale = logScale;
        this.title = title;
    }

    /**
     * A linear-scale plot of {@code history}'s {@code loss} and {@code val_loss}.
     *
     * @param history the history of a fit
     * @return the plot
     * @throws IllegalArgumentException if {@code history} is null or has no epochs
     */
    public static TrainingPlot of(History history) {
        if (history == null) {
            throw new IllegalArgumentException("history must not be null");
        }
        if (history.epochs() == 0) {
            throw new IllegalArgumentException("the history has no epochs to plot");
        }
        return new TrainingPlot(history.loss(), history.validationLoss(), false, "Loss per epoch");
    }

    /**
     * @param log true for a logarithmic loss axis (decades), which shows the late, small losses of a fit
     * @return a new plot
     */
    public TrainingPlot withLogScale(boolean log) {
        return new TrainingPlot(loss, validationLoss, log, title);
    }

    /**
     * @param text the title above the chart (default {@code Loss per epoch})
     * @return a new plot
     * @throws IllegalArgumentException if {@code text} is null
     */
    public TrainingPlot withTitle(String text) {
        if (text == null) {
            throw new IllegalArgumentException("title must not be null");
        }
        return new TrainingPlot(loss, validationLoss, logScale, text);
    }

    /** @return the chart as a standalone SVG document (UTF-8 text) */
    public String toSvg() {
        int epochs = loss.size();
        double[] range = lossRange();
        double xLow = epochs == 1 ? 0.5 : 1;
        double xHigh = epochs == 1 ? 1.5 : epochs;
        Axis x = new Axis(xLow, xHigh, LEFT, WIDTH - RIGHT, false);
        Axis y = new Axis(range[0], range[1], HEIGHT - BOTTOM, TOP, logScale);

        StringBuilder svg = new StringBuilder(4096);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<title>").append(Xml.escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"26\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">%s</text>%n",
                LEFT, Xml.escape(title)));

        svg.append("<g id=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">\n");
        List<Double> yTicks = y.ticks();
        for (double tick : yTicks) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n", LEFT, y.at(tick), WIDTH - RIGHT, y.at(tick)));
        }
        svg.append("</g>\n");

        svg.append(String.format(Locale.ROOT, "<g id=\"plot-area\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                + " fill=\"none\" stroke=\"none\"/></g>%n", LEFT, TOP, WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP));
        svg.append("<g id=\"axes\" stroke=\"#444\" stroke-width=\"1\" font-size=\"11\" fill=\"#444\">\n");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n", LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        svg.append("<g id=\"x-ticks\">\n");
        for (double tick : x.epochTicks()) {
            double px = x.at(tick);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" stroke=\"none\" text-anchor=\"middle\">%d</text>%n",
                    px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5, px, HEIGHT - BOTTOM + 18, (long) tick));
        }
        svg.append("</g>\n<g id=\"y-ticks\">\n");
        List<String> yLabels = tickLabels(yTicks);
        for (int i = 0; i < yTicks.size(); i++) {
            double py = y.at(yTicks.get(i));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" stroke=\"none\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 5, py, LEFT, py, LEFT - 8, py + 4, Xml.escape(yLabels.get(i))));
        }
        svg.append("</g>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" stroke=\"none\" font-size=\"12\" text-anchor=\"middle\">epoch</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 14));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" stroke=\"none\" font-size=\"12\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 18 %d)\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2,
                logScale ? "loss (log scale)" : "loss"));
        svg.append("</g>\n");

        List<String> names = new ArrayList<>(List.of(History.LOSS));
        List<List<Double>> series = new ArrayList<>(List.of(loss));
        if (!validationLoss.isEmpty()) {
            names.add(History.VAL_LOSS);
            series.add(validationLoss);
        }
        for (int s = 0; s < series.size(); s++) {
            appendSeries(svg, names.get(s), series.get(s), COLOURS[s], s == 1, x, y);
        }

        int legendX = WIDTH - RIGHT + 18;
        svg.append("<g id=\"legend\" font-size=\"12\" fill=\"#222\">\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" fill-opacity=\"0.9\""
                + " stroke=\"#bbb\"/>%n", legendX, TOP + 6, LEGEND_WIDTH, 10 + 18 * names.size()));
        for (int s = 0; s < names.size(); s++) {
            int ly = TOP + 22 + 18 * s;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", legendX + 10, ly - 4, legendX + 40, ly - 4, COLOURS[s],
                    s == 1 ? " stroke-dasharray=\"6 4\"" : "", legendX + 48, ly, names.get(s)));
        }
        svg.append("</g>\n</svg>\n");
        return svg.toString();
    }

    private void appendSeries(StringBuilder svg, String name, List<Double> values, String colour, boolean dashed, Axis x, Axis y) {
        svg.append("<g id=\"").append(name).append("\" stroke=\"").append(colour).append("\" fill=\"none\" stroke-width=\"2.2\"")
                .append(dashed ? " stroke-dasharray=\"6 4\"" : "").append(">\n");
        StringBuilder points = new StringBuilder();
        for (int e = 0; e < values.size(); e++) {
            double value = values.get(e);
            if (!drawable(value)) {
                flushLine(svg, points);
                continue;
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(e + 1), y.at(value)));
        }
        flushLine(svg, points);
        if (values.size() <= 40) {
            for (int e = 0; e < values.size(); e++) {
                double value = values.get(e);
                if (drawable(value)) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.8\" fill=\"%s\" stroke=\"none\">"
                            + "<title>epoch %d: %s %s</title></circle>%n", x.at(e + 1), y.at(value), colour, e + 1, name,
                            String.format(Locale.ROOT, "%.6g", value)));
                }
            }
        }
        svg.append("</g>\n");
    }

    private static void flushLine(StringBuilder svg, StringBuilder points) {
        if (points.length() > 0) {
            svg.append("<polyline points=\"").append(points.toString().trim()).append("\"/>\n");
            points.setLength(0);
        }
    }

    private boolean drawable(double value) {
        return Double.isFinite(value) && (!logScale || value > 0);
    }

    /** The loss axis's range: linear from 0 (or the minimum) to 5 % above the maximum; log over whole decades. */
    private double[] lossRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (List<Double> values : List.of(loss, validationLoss)) {
            for (double value : values) {
                if (drawable(value)) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (min > max) {
            return logScale ? new double[] {0.1, 1} : new double[] {0, 1};
        }
        if (logScale) {
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            return new double[] {low, high > low ? high : low * 10};
        }
        double low = Math.min(0, min);
        double high = max > low ? max + 0.05 * (max - low) : low + 1;
        return new double[] {low, high};
    }

    /**
     * One axis's tick labels in one format: plain decimals if every tick is 0 or between 1e-4 and 1e5 in magnitude,
     * otherwise every tick but 0 in scientific notation, so that {@code 0.01} never stands beside {@code 1e-5}.
     */
    static List<String> tickLabels(List<Double> ticks) {
        boolean plain = ticks.stream().allMatch(t -> t == 0 || (Math.abs(t) >= 1e-4 && Math.abs(t) < 1e5));
        List<String> labels = new ArrayList<>();
        for (double value : ticks) {
            if (value == 0) {
                labels.add("0");
            } else if (plain) {
                labels.add(new BigDecimal(String.format(Locale.ROOT, "%.6g", value)).stripTrailingZeros().toPlainString());
            } else {
                String[] parts = String.format(Locale.ROOT, "%.2e", value).split("e");
                String mantissa = new BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
                labels.add(mantissa + "e" + Integer.parseInt(parts[1]));
            }
        }
        return labels;
    }

    /** Maps data values to pixels along one axis. */
    private static final class Axis {
        private final double low;
        private final double high;
        private final double from;
        private final double to;
        private final boolean log;

        Axis(double low, double high, double from, double to, boolean log) {
            this.low = low;
            this.high = high;
            this.from = from;
            this.to = to;
            this.log = log;
        }

        double at(double value) {
            double position = log
                    ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                    : (value - low) / (high - low);
            return from + position * (to - from);
        }

        /** Loss ticks: 1-2-5 steps, about 6 of them; on a log scale every decade, with 2 and 5 if there are few. */
        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                int first = (int) Math.round(Math.log10(low));
                int last = (int) Math.round(Math.log10(high));
                int every = Math.max(1, (last - first + 7) / 8);
                // Decades that are multiples of the step, so 1 = 10^0 is labelled whenever it is in range.
                for (int d = Math.floorDiv(first + every - 1, every) * every; d <= last; d += every) {
                    double decade = Math.pow(10, d);
                    ticks.add(decade);
                    if (last - first <= 2 && d < last) {
                        ticks.add(2 * decade);
                        ticks.add(5 * decade);
                    }
                }
                return ticks;
            }
            double step = niceStep((high - low) / 6);
            for (double tick = Math.ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) {
                ticks.add(Math.abs(tick) < step * 1e-9 ? 0 : tick);
            }
            return ticks;
        }

        /** Epoch ticks: whole numbers in 1-2-5 steps, starting at 1. */
        List<Double> epochTicks() {
            long epochs = (long) Math.floor(high);
            long step = Math.max(1, (long) niceStep((high - low) / 8));
            List<Double> ticks = new ArrayList<>();
            ticks.add(1.0);
            for (long tick = step; tick <= epochs; tick += step) {
                if (tick > 1) {
                    ticks.add((double) tick);
                }
            }
            return ticks;
        }

        private static double niceStep(double rough) {
            if (!(rough > 0)) {
                return 1;
            }
            double decade = Math.pow(10, Math.floor(Math.log10(rough)));
            double fraction = rough / decade;
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * decade;
        }
    }
}
