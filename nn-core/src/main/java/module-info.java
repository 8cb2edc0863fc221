/**
 * nn-core: dense neural networks in pure Java with Keras conventions.
 *
 * <p>Start with {@link dev.nncore.Network}; matrices are {@link dev.nncore.math.Matrix}, training is in
 * {@link dev.nncore.train}, Keras and TensorFlow.js files in {@link dev.nncore.keras}, CSV data and splits in
 * {@link dev.nncore.data}, metrics and evaluation in {@link dev.nncore.metrics}.
 */
module dev.nncore {
    exports dev.nncore;
    exports dev.nncore.math;
    exports dev.nncore.keras;
    exports dev.nncore.onnx;
    exports dev.nncore.train;
    exports dev.nncore.explain;
    exports dev.nncore.data;
    exports dev.nncore.metrics;
}
