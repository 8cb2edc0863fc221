/**
 * Metrics with Keras's names and definitions ({@link dev.nncore.metrics.Metric}: accuracy in its binary,
 * categorical, sparse and top-k forms, precision, recall, F1, AUC, mae, mse, rmse, r2), scikit-learn's
 * {@link dev.nncore.metrics.ConfusionMatrix} and {@link dev.nncore.metrics.ClassificationReport}, and the
 * {@link dev.nncore.metrics.Evaluation} that {@link dev.nncore.Network#evaluate} returns.
 *
 * <p>Start with {@link dev.nncore.metrics.Metric#fromKerasName(String)} or the factories beside it:
 * <pre>{@code
 * // given: yTrue, yPred
 * double f1 = Metric.f1Score(Metric.Average.MACRO).compute(yTrue, yPred);
 * System.out.print(ClassificationReport.of(ConfusionMatrix.of(yTrue, yPred)));
 * }</pre>
 * Uses only {@link dev.nncore.math.Matrix}; no dependencies.
 */
package dev.nncore.metrics;
