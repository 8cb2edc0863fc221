/**
 * ONNX models of dense networks, read and written in pure Java: start with {@link dev.nncore.onnx.Onnx}.
 *
 * <pre>{@code
 * Network mlp = Onnx.load(Path.of("mlp.onnx"));     // e.g. from torch.onnx.export
 * float[] y = mlp.forward(new float[mlp.inputs()]);
 * }</pre>
 *
 * <p>The package holds a hand-written protobuf decoder and encoder (no dependency) for the ONNX messages a dense
 * network needs ({@code ModelProto}, {@code GraphProto}, {@code NodeProto}, {@code AttributeProto},
 * {@code TensorProto}, {@code ValueInfoProto}: {@code ProtoReader}, {@code OnnxModel}, {@code ProtoWriter}), the
 * mapping of an ONNX graph onto nn-core's layers and graph networks ({@code OnnxImporter} assembles the graph from
 * what {@code OnnxLayers}, {@code ActivationPatterns} and {@code OnnxOperands} read out of each node), and the writer
 * ({@code OnnxExporter}). Bad files end in {@link dev.nncore.keras.ModelFormatException}, models nn-core cannot compute in
 * {@link dev.nncore.keras.UnsupportedModelException}, the same types the Keras readers throw.
 *
 * @since 0.1.0
 */
package dev.nncore.onnx;
