/**
 * What a user imports first: {@link dev.nncore.Network} (a chain of {@link dev.nncore.Layer}s such as
 * {@link dev.nncore.Dense}, {@link dev.nncore.BatchNormalization} and {@link dev.nncore.Dropout}, or a graph of them
 * built from {@link dev.nncore.Node}s with {@link dev.nncore.Merge} layers), {@link dev.nncore.Activation} and
 * {@link dev.nncore.Loss}, all with Keras's names, shapes and defaults; how a Dense layer's weights start, are
 * penalised and are held in bounds: {@link dev.nncore.Initializer}, {@link dev.nncore.Regularizer} and
 * {@link dev.nncore.Constraint}; and {@link dev.nncore.Backprop} for a training loop of one's own.
 *
 * <p>Start with {@link dev.nncore.Network#builder(int)} (Keras's {@code Sequential}), with
 * {@link dev.nncore.Node#input(String, int...)} and {@link dev.nncore.Network#functional} (Keras's Functional API), or
 * with {@link dev.nncore.Network#withWeights} to run weights that Keras's {@code model.get_weights()} printed.
 *
 * <p>The Javadoc names the tutorials nn-core grew from as README.md introduces them (under "Where it comes from"):
 * "the video" (the "no magic" lecture that works a Keras XOR network out by hand), "the cookbook" (training from
 * scratch by finite differences) and "the Stack Overflow question" (a {@code y = 2x + 5} model's printed weights).
 */
package dev.nncore;
