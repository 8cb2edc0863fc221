/**
 * The maths of each activation function, one class per function: its float64 value, its float32 value (the float64
 * one rounded once) and its derivative, with Keras's (TensorFlow's) convention at kinks. {@link dev.nncore.Activation}
 * wraps these and registers their Keras names; this package is not exported. A new activation is one class here and
 * one constant or factory in {@code Activation}.
 */
package dev.nncore.activations;
