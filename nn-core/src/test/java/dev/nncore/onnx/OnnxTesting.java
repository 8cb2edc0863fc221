package dev.nncore.onnx;

import dev.nncore.keras.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Helpers for the ONNX tests: resources, and turning a multi-input conformance model into a one-input chain. */
final class OnnxTesting {

    private OnnxTesting() {
    }

    static byte[] resource(String path) {
        try (InputStream in = OnnxTesting.class.getResourceAsStream("/onnx/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /onnx/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model with the given serialized TensorProtos appended to its graph as initializers: ONNX's node tests feed
     * weights (Gemm's B and C, Reshape's shape, Clip's bounds, ...) as graph inputs, and a graph input with an
     * initializer of the same name is a constant in ONNX's semantics. Graph outputs after the first are dropped: the
     * cases of LayerNormalization and Dropout also expose the mean, inverse deviation or mask, which the test does not
     * compare and nn-core does not compute. Only the graph message is rewritten; every other field of the model is
     * copied byte for byte.
     */
    static byte[] withInitializers(byte[] model, List<byte[]> tensors) throws ModelFormatException {
        ProtoReader in = new ProtoReader(model, 0, model.length, "model");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int fieldStart = 0;
        while (in.next()) {
            if (in.field() == 7 && in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                int[] span = in.span("graph");
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                ProtoReader graph = new ProtoReader(model, span[0], span[1], "graph");
                int graphFieldStart = span[0];
                boolean firstOutput = true;
                while (graph.next()) {
                    boolean output = graph.field() == 12;
                    graph.skip();
                    if (!output || firstOutput) {
                        body.write(model, graphFieldStart, graph.position() - graphFieldStart);
                    }
                    firstOutput &= !output;
                    graphFieldStart = graph.position();
                }
                for (byte[] tensor : tensors) {
                    body.writeBytes(new ProtoWriter().bytes(5, tensor).toByteArray());
                }
                out.writeBytes(new ProtoWriter().bytes(7, body.toByteArray()).toByteArray());
            } else {
                in.skip();
                out.write(model, fieldStart, in.position() - fieldStart);
            }
            fieldStart = in.position();
        }
        return out.toByteArray();
    }

    /**
     * The model with each graph input of one axis, {@code [n]}, declared {@code [n, 1]}: a batch of n samples of one
     * value. For an elementwise operator this computes the same values in the same order; ONNX's node tests of Max,
     * Min, Sum, Mean and the {@code *_example} cases use such inputs, which have no batch axis for nn-core.
     */
    static byte[] withOneAxisInputsAsColumns(byte[] model) throws ModelFormatException {
        List<OnnxModel.ValueInfo> inputs = OnnxModel.parse(model, new OnnxModel.Source("model", null, 1 << 30)).graph().inputs();
        ProtoReader in = new ProtoReader(model, 0, model.length, "model");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int fieldStart = 0;
        while (in.next()) {
            if (in.field() == 7 && in.wireType() == ProtoReader.LENGTH_DELIMITED) {
                int[] span = in.span("graph");
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                ProtoReader graph = new ProtoReader(model, span[0], span[1], "graph");
                int graphFieldStart = span[0];
                int input = 0;
                while (graph.next()) {
                    boolean isInput = graph.field() == 11;
                    graph.skip();
                    OnnxModel.ValueInfo info = isInput ? inputs.get(input++) : null;
                    if (info != null && info.shape() != null && info.shape().length == 1) {
                        body.writeBytes(new ProtoWriter().message(11, OnnxTest.valueInfo(info.name(),
                                new long[] {info.shape()[0], 1})).toByteArray());
                    } else {
                        body.write(model, graphFieldStart, graph.position() - graphFieldStart);
                    }
                    graphFieldStart = graph.position();
                }
                out.writeBytes(new ProtoWriter().bytes(7, body.toByteArray()).toByteArray());
            } else {
                in.skip();
                out.write(model, fieldStart, in.position() - fieldStart);
            }
            fieldStart = in.position();
        }
        return out.toByteArray();
    }
}
