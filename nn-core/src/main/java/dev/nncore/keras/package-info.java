/**
 * Keras and TensorFlow.js files, in pure Java: the only package that knows file formats. Start with
 * {@link dev.nncore.keras.Keras#load(java.nio.file.Path)} and {@link dev.nncore.keras.Keras#save}; bad files end in
 * {@link dev.nncore.keras.ModelFormatException}, models nn-core cannot compute in
 * {@link dev.nncore.keras.UnsupportedModelException}. Inside, each Keras layer class nn-core reads and writes has
 * one {@code LayerFormat} (config in, config out), registered by class name in {@code LayerFormats}; the file
 * formats ({@code KerasZip}, {@code KerasWeights}, {@code Tfjs}, {@code Numpy}) only move weights in Keras's
 * {@code get_weights()} order. A Functional model's graph (inbound nodes, shared layers, nested models) is read by
 * {@code GraphModel} and written by {@code GraphWriter}; merge layers are {@code MergeFormat}s. A compiled model's
 * training setup ({@link dev.nncore.keras.KerasTraining}: loss, optimizer, its variables) is read by
 * {@link dev.nncore.keras.Keras#loadTraining} and written by {@link dev.nncore.keras.Keras#save(KerasTraining,
 * java.nio.file.Path)}, through {@code CompileConfig}.
 */
package dev.nncore.keras;
