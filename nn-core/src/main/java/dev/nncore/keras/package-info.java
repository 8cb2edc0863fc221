/**
 * Keras and TensorFlow.js files, in pure Java: the only package that knows file formats. Start with
 * {@link dev.nncore.keras.Keras#load(java.nio.file.Path)} and {@link dev.nncore.keras.Keras#save}; bad files end in
 * {@link dev.nncore.keras.ModelFormatException}, models nn-core cannot compute in
 * {@link dev.nncore.keras.UnsupportedModelException}.
 */
package dev.nncore.keras;
