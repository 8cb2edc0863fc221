/**
 * "Show your work": the arithmetic of a forward pass neuron by neuron ({@link dev.nncore.explain.Explanation},
 * from {@link dev.nncore.Network#explain(float...)}), pictures of a network with every weight on its edge
 * ({@link dev.nncore.explain.NetworkDiagram}, SVG and Graphviz DOT), and training curves
 * ({@link dev.nncore.explain.TrainingPlot}, SVG).
 *
 * <p>Start with {@code network.explain(1, 0)} and print it. Every layer kind is explained and drawn: Dense neurons
 * with their weights, BatchNormalization, LayerNormalization, Normalization, Rescaling, PReLU and activation layers
 * value by value with their own numbers, Dropout, noise and Flatten layers as one line ("identity at inference").
 * Everything here reads networks through their public API and reports the forward pass's own numbers: an
 * explanation's outputs are each layer's {@code forward}. Graphs (several inputs and outputs, merges, shared layers)
 * are explained node by node ({@link dev.nncore.explain.Explanation#of(dev.nncore.Network, java.util.List)}) and drawn
 * as blocks of neurons layered by depth.
 */
package dev.nncore.explain;
