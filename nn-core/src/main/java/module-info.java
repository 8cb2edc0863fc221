/**
 * nn-core: dense neural networks in pure Java with Keras conventions.
 *
 * <p>Start with {@link dev.nncore.Network}; matrices are {@link dev.nncore.math.Matrix}.
 */
module dev.nncore {
    exports dev.nncore;
    exports dev.nncore.math;
    exports dev.nncore.train;
}
