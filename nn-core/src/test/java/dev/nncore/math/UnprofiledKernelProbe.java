package dev.nncore.math;

import dev.nncore.Activation;
import dev.nncore.Backprop;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.Node;
import dev.nncore.testing.Allocations;
import dev.nncore.testing.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run in a JVM of its own by {@link UnprofiledKernelTest}, with C2's receiver type profiles turned off
 * ({@code -XX:-UseTypeProfile}): warms up each path a kernel runs (training steps cut by inputs and by samples, batch
 * and one-sample inference, a residual graph's batch, the products and their transposed forms, the softmax), then
 * prints the kernel's name and one line per path, {@code name bytes}: the fewest bytes the calling thread and the
 * workers allocated in a round of calls, less what a round of no calls counts.
 */
final class UnprofiledKernelProbe {

    private static final int WARM_UP = 1500;
    private static final int OVERHEAD_ROUNDS = 20;
    private static final int CALLS = 50;
    private static final long PHASE_NANOS = 3_000_000_000L;

    private UnprofiledKernelProbe() {
    }

    public static void main(String[] args) {
        System.out.println("kernel " + MatrixOps.kernelName());
        step("step 784-128-10 batch 64", 128, 10, 64);
        step("step 784-512-10 batch 64", 512, 10, 64);
        step("step 784-32-3 batch 256", 32, 3, 256);
        Network network = network(128, 10);
        float[][] batch = Gaussian.rows(256, 784, 2);
        float[][] out = new float[256][10];
        measure("forward 784-128-10 batch 256", () -> network.forward(batch, out));
        float[] sample = batch[0];
        float[] result = new float[10];
        measure("forward 784-128-10 one sample", () -> network.forward(sample, result));
        Network wide = network(512, 10);
        measure("forward 784-512-10 one sample", () -> wide.forward(sample, result));
        Node input = Node.input("pixels", 784);
        Node hidden = input.dense(128, Activation.RELU);
        Node skip = Node.add(hidden, hidden.dense(128, Activation.RELU));
        Network residual = Network.functional(List.of(input), List.of(skip.dense(10, Activation.SOFTMAX)), 3);
        measure("forward residual graph batch 256", () -> residual.forward(batch, out));
        float[][] a = Gaussian.rows(128, 128, 3);
        float[][] b = Gaussian.rows(128, 128, 4);
        float[][] c = new float[128][128];
        measure("multiply 128x128x128", () -> MatrixOps.multiply(a, b, c));
        measure("multiplyTransposedA 128x128x128", () -> MatrixOps.multiplyTransposedA(a, b, c));
        measure("multiplyTransposedB 128x128x128", () -> MatrixOps.multiplyTransposedB(a, b, c));
        float[][] narrow = Gaussian.rows(128, 10, 5);
        float[][] d = new float[128][10];
        measure("multiply 128x128x10", () -> MatrixOps.multiply(a, narrow, d));
    }

    private static Network network(int units, int classes) {
        return Network.builder(784).dense(units, Activation.RELU).dense(classes, Activation.SOFTMAX).seed(3).build();
    }

    private static void step(String name, int units, int classes, int rows) {
        Network network = network(units, classes);
        List<float[][]> weights = new ArrayList<>();
        for (Matrix weight : network.getWeights()) {
            weights.add(weight.toArray());
        }
        Backprop backprop = Backprop.of(network, Loss.CATEGORICAL_CROSSENTROPY, weights, new SplittableRandom(1));
        List<float[][]> gradients = backprop.newGradients();
        float[][] x = Gaussian.rows(rows, 784, 5);
        float[][] y = new float[rows][classes];
        for (int i = 0; i < rows; i++) {
            y[i][i % classes] = 1;
        }
        measure(name, () -> {
            backprop.forward(x, y, true);
            backprop.backward(y, gradients);
        });
    }

    /**
     * Warms {@code call} up, then prints the fewest bytes a round of {@value #CALLS} calls allocated, less what a round
     * of no calls counts. Rounds go on until one allocates nothing or {@value #PHASE_NANOS} ns have passed: with one C2
     * thread on two cores, a short path's last methods (the 128x10 product's {@code strip1x1} and {@code tail}) can
     * still be queued for C2 after the warm-up, and while they run in C1 every vector is boxed (27,712 bytes a call,
     * about one run in ten, gone 100 ms later). A path that boxes for good (hundreds of MB a call without the casts)
     * still ends with its figure at the deadline rather than a timeout.
     */
    private static void measure(String name, Runnable call) {
        long deadline = System.nanoTime() + PHASE_NANOS;
        for (int i = 0; i < WARM_UP && System.nanoTime() < deadline; i++) {
            call.run();
        }
        long[] threads = Allocations.callerAndWorkers();
        long overhead = Allocations.fewest(OVERHEAD_ROUNDS, 1, () -> { }, threads); // the counters' own boxing
        long fewest = Long.MAX_VALUE;
        deadline = System.nanoTime() + PHASE_NANOS;
        for (int round = 0; fewest > 0 && (round == 0 || System.nanoTime() < deadline); round++) {
            long before = Allocations.ofThreads(threads);
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            fewest = Math.min(fewest, Allocations.ofThreads(threads) - before - overhead);
        }
        System.out.println(name + " " + fewest);
    }
}
