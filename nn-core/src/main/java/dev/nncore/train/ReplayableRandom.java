package dev.nncore.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link SplittableRandom} that logs which methods were called, run-length encoded, so that a fresh stream from the
 * same seed can be brought to the same state by calling them again ({@link #replay}); {@code SplittableRandom} cannot
 * be saved. Each method delegates to the same method of the stream, so the numbers are those of the stream itself.
 */
final class ReplayableRandom implements RandomGenerator {

    private static final byte LONG = 0;
    private static final byte INT = 1;
    private static final byte INT_BOUND = 2;
    private static final byte INT_RANGE = 3;
    private static final byte LONG_BOUND = 4;
    private static final byte LONG_RANGE = 5;
    private static final byte DOUBLE = 6;
    private static final byte DOUBLE_BOUND = 7;
    private static final byte DOUBLE_RANGE = 8;
    private static final byte FLOAT = 9;
    private static final byte BOOLEAN = 10;
    private static final byte GAUSSIAN = 11;
    private static final byte GAUSSIAN_SCALED = 12;
    private static final byte EXPONENTIAL = 13;

    private final SplittableRandom stream;
    private byte[] ops = new byte[16];
    private double[] first = new double[16];
    private double[] second = new double[16];
    private long[] counts = new long[16];
    private int size;

    ReplayableRandom(SplittableRandom stream) {
        this.stream = stream;
    }

    private void log(byte op, double a, double b) {
        if (size > 0 && ops[size - 1] == op && first[size - 1] == a && second[size - 1] == b) {
            counts[size - 1]++;
            return;
        }
        if (size == ops.length) {
            ops = Arrays.copyOf(ops, size * 2);
            first = Arrays.copyOf(first, size * 2);
            second = Arrays.copyOf(second, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        ops[size] = op;
        first[size] = a;
        second[size] = b;
        counts[size] = 1;
        size++;
    }

    /** @return the number of log entries */
    int entries() {
        return size;
    }

    byte op(int i) {
        return ops[i];
    }

    double first(int i) {
        return first[i];
    }

    double second(int i) {
        return second[i];
    }

    long count(int i) {
        return counts[i];
    }

    /** Replays one logged entry on this stream (logging it again), as restored from a backup. */
    void replay(byte op, double a, double b, long count) {
        for (long n = 0; n < count; n++) {
            switch (op) {
                case LONG -> nextLong();
                case INT -> nextInt();
                case INT_BOUND -> nextInt((int) a);
                case INT_RANGE -> nextInt((int) a, (int) b);
                case LONG_BOUND -> nextLong((long) a);
                case LONG_RANGE -> nextLong((long) a, (long) b);
                case DOUBLE -> nextDouble();
                case DOUBLE_BOUND -> nextDouble(a);
                case DOUBLE_RANGE -> nextDouble(a, b);
                case FLOAT -> nextFloat();
                case BOOLEAN -> nextBoolean();
                case GAUSSIAN -> nextGaussian();
                case GAUSSIAN_SCALED -> nextGaussian(a, b);
                case EXPONENTIAL -> nextExponential();
                default -> throw new IllegalStateException("unknown random method " + op + " in a backup");
            }
        }
    }

    @Override
    public long nextLong() {
        log(LONG, 0, 0);
        return stream.nextLong();
    }

    @Override
    public int nextInt() {
        log(INT, 0, 0);
        return stream.nextInt();
    }

    @Override
    public int nextInt(int bound) {
        log(INT_BOUND, bound, 0);
        return stream.nextInt(bound);
    }

    @Override
    public int nextInt(int origin, int bound) {
        log(INT_RANGE, origin, bound);
        return stream.nextInt(origin, bound);
    }

    @Override
    public long nextLong(long bound) {
        log(LONG_BOUND, bound, 0);
        return stream.nextLong(bound);
    }

    @Override
    public long nextLong(long origin, long bound) {
        log(LONG_RANGE, origin, bound);
        return stream.nextLong(origin, bound);
    }

    @Override
    public double nextDouble() {
        log(DOUBLE, 0, 0);
        return stream.nextDouble();
    }

    @Override
    public double nextDouble(double bound) {
        log(DOUBLE_BOUND, bound, 0);
        return stream.nextDouble(bound);
    }

    @Override
    public double nextDouble(double origin, double bound) {
        log(DOUBLE_RANGE, origin, bound);
        return stream.nextDouble(origin, bound);
    }

    @Override
    public float nextFloat() {
        log(FLOAT, 0, 0);
        return stream.nextFloat();
    }

    @Override
    public boolean nextBoolean() {
        log(BOOLEAN, 0, 0);
        return stream.nextBoolean();
    }

    @Override
    public double nextGaussian() {
        log(GAUSSIAN, 0, 0);
        return stream.nextGaussian();
    }

    @Override
    public double nextGaussian(double mean, double stddev) {
        log(GAUSSIAN_SCALED, mean, stddev);
        return stream.nextGaussian(mean, stddev);
    }

    @Override
    public double nextExponential() {
        log(EXPONENTIAL, 0, 0);
        return stream.nextExponential();
    }
}
