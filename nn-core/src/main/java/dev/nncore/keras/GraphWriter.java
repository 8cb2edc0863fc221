package dev.nncore.keras;

import static dev.nncore.keras.Tfjs.orderedMap;

import dev.nncore.Layer;
import dev.nncore.Network;
import dev.nncore.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config of a graph network as Keras's Functional models save it, from {@link Network#nodes()}: the InputLayers,
 * then each distinct layer (in {@link Network#layers()} order) with one inbound node per call, each naming the tensors
 * it takes as {@code [layer, call index, 0]}. Keras 3 ({@code .keras}) writes a call as
 * {@code {"args": [tensor or [tensors]], "kwargs": {}}} with {@code __keras_tensor__} objects; Keras 2 and TF.js as
 * {@code [[layer, call, 0, {}], ...]}.
 */
final class GraphWriter {

    private GraphWriter() {
    }

    /** Where a node's value comes from: its layer's (or input's) name and which call of it. */
    private record Source(String name, int call, int[] shape) {
    }

    /** A Functional model's config: {@code name}, {@code layers}, {@code input_layers}, {@code output_layers}. */
    static Map<String, Object> config(Network network, boolean keras3, String modelName) {
        List<Node> nodes = network.nodes();
        Map<Node, Source> sources = new IdentityHashMap<>();
        Map<Layer, List<Object>> inbound = new IdentityHashMap<>();
        Map<Layer, List<int[]>> firstShapes = new IdentityHashMap<>();
        List<Object> layers = new ArrayList<>();
        List<Object> inputLayers = new ArrayList<>();
        for (Node node : nodes) {
            if (node.isInput()) {
                sources.put(node, new Source(node.name(), 0, node.shape()));
                Map<String, Object> config = keras3
                        ? orderedMap("batch_shape", Architecture.batchShape(node.shape()), "dtype", "float32", "sparse", false,
                                "name", node.name())
                        : orderedMap("batch_input_shape", Architecture.batchShape(node.shape()), "dtype", "float32",
                                "sparse", false, "name", node.name());
                layers.add(keras3 ? orderedMap("module", "keras.layers", "class_name", "InputLayer", "config", config,
                        "registered_name", null, "name", node.name(), "inbound_nodes", List.of())
                        : orderedMap("class_name", "InputLayer", "config", config, "name", node.name(), "inbound_nodes", List.of()));
                inputLayers.add(List.of(node.name(), 0, 0));
                continue;
            }
            Layer layer = node.layer();
            List<Object> calls = inbound.computeIfAbsent(layer, key -> new ArrayList<>());
            List<Object> tensors = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            for (Node from : node.inputs()) {
                Source source = sources.get(from);
                shapes.add(source.shape());
                tensors.add(keras3 ? orderedMap("class_name", "__keras_tensor__", "config", orderedMap(
                        "shape", Architecture.batchShape(source.shape()), "dtype", "float32",
                        "keras_history", List.of(source.name(), source.call(), 0)))
                        : List.of(source.name(), source.call(), 0, Map.of()));
            }
            if (keras3) {
                Object args = node.inputs().size() == 1 ? tensors.get(0) : tensors;
                calls.add(orderedMap("args", List.of(args), "kwargs", Map.of()));
            } else {
                calls.add(tensors);
            }
            firstShapes.putIfAbsent(layer, shapes);
            sources.put(node, new Source(layer.name(), calls.size() - 1, node.shape()));
        }
        for (Layer layer : network.layers()) {
            Map<String, Object> config = keras3 ? orderedMap("name", layer.name(), "trainable", true, "dtype", KerasZip.DTYPE)
                    : new java.util.LinkedHashMap<>();
            LayerFormat format = LayerFormats.forLayer(layer);
            config.putAll(keras3 ? format.kerasConfig(layer) : format.tfjsConfig(layer));
            if (!keras3) {
                config.put("name", layer.name());
                config.put("trainable", true);
                config.put("dtype", "float32");
            }
            List<int[]> shapes = firstShapes.get(layer);
            Object inputShape = shapes.size() == 1 ? Architecture.batchShape(shapes.get(0))
                    : shapes.stream().map(Architecture::batchShape).toList();
            layers.add(keras3 ? orderedMap("module", "keras.layers", "class_name", layer.kerasClass(), "config", config,
                    "registered_name", null, "build_config", orderedMap("input_shape", inputShape), "name", layer.name(),
                    "inbound_nodes", inbound.get(layer))
                    : orderedMap("class_name", layer.kerasClass(), "config", config, "name", layer.name(),
                            "inbound_nodes", inbound.get(layer)));
        }
        List<Object> outputLayers = new ArrayList<>();
        List<String> outputNames = network.outputNames();
        for (int k = 0; k < outputNames.size(); k++) {
            Source source = sources.get(nodes.get(network.outputNodeIndex(k)));
            outputLayers.add(List.of(source.name(), source.call(), 0));
        }
        Map<String, Object> config = orderedMap("name", modelName);
        if (keras3) {
            config.put("trainable", true);
        }
        config.put("layers", layers);
        config.put("input_layers", inputLayers);
        config.put("output_layers", outputLayers);
        return config;
    }

}
