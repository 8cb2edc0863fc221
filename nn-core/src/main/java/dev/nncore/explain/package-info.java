/**
 * "Show your work": the arithmetic of a forward pass neuron by neuron ({@link dev.nncore.explain.Explanation},
 * from {@link dev.nncore.Network#explain(float...)}), pictures of a network with every weight on its edge
 * ({@link dev.nncore.explain.NetworkDiagram}, SVG and Graphviz DOT), and training curves
 * ({@link dev.nncore.explain.TrainingPlot}, SVG).
 *
 * <p>Start with {@code network.explain(1, 0)} and print it. Everything here reads networks through their public
 * API and computes nothing the forward pass does not: an explanation's numbers are the forward pass's own.
 */
package dev.nncore.explain;
