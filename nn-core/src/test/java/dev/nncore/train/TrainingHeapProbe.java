package dev.nncore.train;

import dev.nncore.Activation;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.data.Dataset;
import dev.nncore.data.Split;
import dev.nncore.data.Splits;
import dev.nncore.math.Matrix;
import java.util.SplittableRandom;

/**
 * Run in a JVM of its own by {@link HeapBoundTest}: builds {@value #ROWS} random rows of {@value #INPUTS} inputs
 * (MNIST's shape) and one-hot targets of {@value #CLASSES} classes straight into {@code float[][]} arrays, then fits a
 * 784-128-10 ReLU/softmax network on them for one epoch, batch 64, Adam, and prints {@code loss=... val_loss=...}.
 * A second argument sets another number of rows.
 * The arrays stay referenced until the end, as a caller's loader would keep them. The mode is the first argument:
 * <ul>
 *   <li>{@code wrap}: {@code Matrix.wrap} and {@code validationSplit(0.1)};</li>
 *   <li>{@code of}: the same with {@code Matrix.of}, which copies the data;</li>
 *   <li>{@code split}: {@code Matrix.wrap} into a {@code Dataset}, {@code Splits.stratified} 0.1, and the test part as
 *       {@code validationData}.</li>
 * </ul>
 * To find the least heap a mode trains in, from the project's root after {@code mvn -pl nn-core test-compile}:
 * <pre>
 * for m in $(seq 200 8 400); do
 *   java -Xmx${m}m -cp nn-core/target/classes:nn-core/target/test-classes dev.nncore.train.TrainingHeapProbe wrap \
 *     &gt;/dev/null 2&gt;&amp;1 &amp;&amp; { echo "trains in -Xmx${m}m"; break; }
 * done
 * </pre>
 */
final class TrainingHeapProbe {

    static final int ROWS = 60_000;
    static final int INPUTS = 784;
    static final int CLASSES = 10;

    private TrainingHeapProbe() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : ROWS;
        SplittableRandom random = new SplittableRandom(1);
        float[][] x = new float[rows][INPUTS];
        float[][] y = new float[rows][CLASSES];
        for (int r = 0; r < rows; r++) {
            float[] row = x[r];
            for (int c = 0; c < INPUTS; c++) {
                row[c] = (float) random.nextDouble();
            }
            y[r][random.nextInt(CLASSES)] = 1;
        }
        Network network = Network.builder(INPUTS).dense(128, Activation.RELU).dense(CLASSES, Activation.SOFTMAX).seed(1).build();
        BackpropTrainer.Builder trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
                .optimizer(Optimizer.adam()).epochs(1).batchSize(64).seed(1);
        TrainingResult result;
        switch (mode) {
            case "wrap" -> result = trainer.validationSplit(0.1).build().fit(network, Matrix.wrap(x), Matrix.wrap(y));
            case "of" -> result = trainer.validationSplit(0.1).build().fit(network, Matrix.of(x), Matrix.of(y));
            case "split" -> {
                Split split = Splits.stratified(Dataset.of(Matrix.wrap(x), Matrix.wrap(y)), 0.1, 1);
                result = trainer.validationData(split.test().features(), split.test().targets()).build()
                        .fit(network, split.train().features(), split.train().targets());
            }
            default -> throw new IllegalArgumentException("mode wrap, of or split, got " + mode);
        }
        History history = result.history();
        System.out.println("loss=" + history.metric(History.LOSS).get(0) + " val_loss=" + history.metric(History.VAL_LOSS).get(0)
                + " rows=" + x.length + "x" + x[rows - 1].length + "+" + y.length + "x" + y[rows - 1].length);
    }
}
