/**
 * float32 matrix math, apart from everything else: {@link dev.nncore.math.Matrix} (immutable, row-major) is the
 * data, {@link dev.nncore.math.MatrixOps} holds the kernels that write into caller-supplied arrays.
 */
package dev.nncore.math;
