/**
 * Helpers shared by nn-core's packages: argument {@link dev.nncore.internal.Checks}, zero-copy
 * {@link dev.nncore.internal.MatrixAccess}, the JSON reader and writer. Not exported by the module; not API.
 */
package dev.nncore.internal;
