package dev.nncore.keras;

import static dev.nncore.keras.Tfjs.orderedMap;

import dev.nncore.Layer;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.hdf5.Hdf5Dataset;
import dev.nncore.internal.hdf5.Hdf5DataType;
import dev.nncore.internal.hdf5.Hdf5File;
import dev.nncore.internal.hdf5.Hdf5FormatException;
import dev.nncore.internal.hdf5.Hdf5Group;
import dev.nncore.internal.hdf5.Hdf5Writer;
import dev.nncore.math.Matrix;
import dev.nncore.train.LearningRateSchedule;
import dev.nncore.train.Optimizer;
import dev.nncore.train.OptimizerState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's compiled training setup in files: Keras 3's {@code compile_config} (in a {@code .keras} file's
 * {@code config.json}) and its optimizer variables ({@code model.weights.h5}, group {@code optimizer/vars}), and Keras
 * 1 and 2's {@code training_config} attribute of a legacy {@code .h5} file. Reads every form the files use: a loss or
 * optimizer as an identifier ({@code "adam"}), as Keras 3's serialized object ({@code module}, {@code class_name},
 * {@code config}), as Keras 2's {@code {class_name, config}}, and a loss per output as a list or a dict.
 */
final class CompileConfig {

    private CompileConfig() {
    }

    /** The setup of a {@code compile_config} or {@code training_config}, without optimizer variables. */
    static KerasTraining read(Network network, Map<String, Object> config, boolean legacy, String where)
            throws ModelFormatException {
        if (config == null) {
            return new KerasTraining(network, null, Map.of(), Map.of(), null, List.of(), null);
        }
        Loss loss = null;
        Map<String, Loss> losses = new LinkedHashMap<>();
        Object lossValue = config.get("loss");
        List<String> outputs = network.outputNames();
        if (lossValue instanceof List<?> list) {
            if (list.size() != outputs.size()) {
                throw new ModelFormatException(where + " loss: " + list.size() + " losses for " + outputs.size()
                        + " outputs " + outputs);
            }
            for (int i = 0; i < list.size(); i++) {
                losses.put(outputs.get(i), loss(list.get(i), where + " loss[" + i + "]"));
            }
        } else if (lossValue instanceof Map<?, ?> map && !map.containsKey("class_name")) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String output = String.valueOf(entry.getKey());
                if (!outputs.contains(output)) {
                    throw new ModelFormatException(where + " loss: a loss for output \"" + output
                            + "\", which the model lacks (outputs " + outputs + ")");
                }
                losses.put(output, loss(entry.getValue(), where + " loss." + output));
            }
        } else if (lossValue != null) {
            loss = loss(lossValue, where + " loss");
        }
        if (losses.size() == 1 && outputs.size() == 1) {
            loss = losses.values().iterator().next();
            losses.clear();
        }
        Map<String, Double> lossWeights = new LinkedHashMap<>();
        Object weights = config.get("loss_weights");
        if (weights instanceof List<?> list) {
            if (list.size() != outputs.size()) {
                throw new ModelFormatException(where + " loss_weights: " + list.size() + " weights for "
                        + outputs.size() + " outputs " + outputs);
            }
            for (int i = 0; i < list.size(); i++) {
                lossWeights.put(outputs.get(i), number(list.get(i), where + " loss_weights[" + i + "]"));
            }
        } else if (weights instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                lossWeights.put(String.valueOf(entry.getKey()), number(entry.getValue(),
                        where + " loss_weights." + entry.getKey()));
            }
        } else if (weights != null) {
            throw new ModelFormatException(where + " loss_weights: expected a list or a dict, got " + weights);
        }
        List<String> metrics = new ArrayList<>();
        collectMetrics(config.get("metrics"), metrics);
        Object optimizerValue = config.get(legacy ? "optimizer_config" : "optimizer");
        Optimizer optimizer = optimizerValue == null ? null
                : optimizer(optimizerValue, where + (legacy ? " optimizer_config" : " optimizer"));
        return new KerasTraining(network, loss, losses, lossWeights, optimizer, metrics, null);
    }

    private static void collectMetrics(Object value, List<String> names) {
        if (value instanceof String name) {
            names.add(name);
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collectMetrics(item, names));
        } else if (value instanceof Map<?, ?> map) {
            if (map.containsKey("class_name")) {
                Object config = map.get("config");
                Object name = config instanceof Map<?, ?> c ? c.get("name") : config;
                names.add(String.valueOf(name != null ? name : map.get("class_name")));
            } else {
                map.values().forEach(item -> collectMetrics(item, names));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Loss loss(Object value, String where) throws ModelFormatException {
        try {
            if (value instanceof String name) {
                return Loss.fromKerasName(name);
            }
            if (value instanceof Map<?, ?> map && map.get("class_name") instanceof String className) {
                Object config = map.get("config");
                if (className.equals("function") && config instanceof String function) {
                    return Loss.fromKerasName(function); // Keras 3's serialized function
                }
                return Loss.fromKeras(shortName(className), config instanceof Map<?, ?> c ? (Map<String, ?>) c : Map.of());
            }
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(where + ": " + e.getMessage());
        }
        throw new ModelFormatException(where + ": expected a loss name or {class_name, config}, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static Optimizer optimizer(Object value, String where) throws ModelFormatException {
        try {
            if (value instanceof String name) {
                return Optimizer.fromKerasConfig(name, Map.of());
            }
            if (value instanceof Map<?, ?> map && map.get("class_name") instanceof String className) {
                Map<String, Object> config = map.get("config") instanceof Map<?, ?> c
                        ? new LinkedHashMap<>((Map<String, Object>) c) : new LinkedHashMap<>();
                // Keras 1 and 2 call the rate lr
                if (!config.containsKey("learning_rate") && config.get("lr") != null) {
                    config.put("learning_rate", config.get("lr"));
                }
                Object decay = config.remove("decay");
                Optimizer optimizer = Optimizer.fromKerasConfig(shortName(className), config);
                if (decay instanceof Number number && number.doubleValue() != 0) {
                    // Keras 1 and 2's decay: lr / (1 + decay * iterations), an InverseTimeDecay of one step
                    if (!(config.get("learning_rate") instanceof Number rate)) {
                        throw new UnsupportedModelException(where + ": decay=" + decay + " with a learning rate that is"
                                + " not a number (" + config.get("learning_rate") + ")");
                    }
                    optimizer = optimizer.withSchedule(LearningRateSchedule.inverseTimeDecay(rate.doubleValue(), 1,
                            number.doubleValue(), false));
                }
                return optimizer;
            }
        } catch (IllegalArgumentException e) {
            throw new UnsupportedModelException(where + ": " + e.getMessage());
        }
        throw new ModelFormatException(where + ": expected an optimizer name or {class_name, config}, got " + value);
    }

    /** {@code "Custom>Adam"} and {@code "keras.optimizers.Adam"} (tf.keras 2.11+) to {@code "Adam"}. */
    private static String shortName(String className) {
        String name = className.substring(className.lastIndexOf('>') + 1);
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static double number(Object value, String where) throws ModelFormatException {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new ModelFormatException(where + ": expected a number, got " + value);
    }

    /**
     * Keras 3's optimizer variables ({@code optimizer/vars/0, 1, ...} of {@code model.weights.h5}): {@code iterations},
     * then {@code learning_rate} unless the rate follows a schedule (tf.keras 2.11-2.15 never keep it), then the slots.
     *
     * @return the state, or null if the file has no optimizer variables
     */
    static OptimizerState readVariables(Hdf5File file, Network network, Optimizer optimizer, String source)
            throws ModelFormatException {
        try {
            if (!file.root().has("optimizer/vars")) {
                return null;
            }
            Hdf5Group vars = file.root().group("optimizer/vars");
            int count = vars.memberNames().size();
            if (count == 0) {
                return null;
            }
            if (optimizer == null) {
                throw new ModelFormatException(source + " optimizer/vars: " + count + " optimizer variables, but the"
                        + " compile_config names no optimizer to give them to");
            }
            List<Matrix> trainable = trainableWeights(network);
            Hdf5Dataset first = dataset(vars, 0, count, source);
            long iterations = first.dataType().kind() == Hdf5DataType.Kind.FLOAT ? (long) first.readDoubles()[0]
                    : first.readLongs()[0];
            int at = 1;
            double rate = optimizer.schedule() == null ? Double.NaN : 0;
            if (count > 1 && dataset(vars, 1, count, source).shape().length == 0) {
                rate = dataset(vars, 1, count, source).readDoubles()[0];
                at = 2;
            }
            double configured = optimizer.kerasConfig().get("learning_rate") instanceof Number n ? n.doubleValue() : 0.001;
            // the variable is float32: the configured rate when it rounds to it (no callback changed it), so that a fit
            // continued from the file steps with the same double as the uninterrupted one
            if (Double.isNaN(rate) || (float) rate == (float) configured) {
                rate = configured;
            }
            List<float[][]> slots = new ArrayList<>();
            for (int i = at; i < count; i++) {
                slots.add(new float[][] {dataset(vars, i, count, source).readFloats()});
            }
            OptimizerState state;
            try {
                state = OptimizerState.fromKerasVariables(optimizer, iterations, rate, slots, trainable.size());
            } catch (IllegalArgumentException e) {
                if (slots.isEmpty() && iterations == 0) {
                    return null; // a fresh optimizer nn-core cannot order (as save writes it): nothing to resume
                }
                throw new UnsupportedModelException(source + " optimizer/vars: " + e.getMessage() + " (the model has "
                        + trainable.size() + " trainable weights); load the network alone with Keras.load");
            }
            int[] owners = state.kerasVariableWeights(optimizer);
            for (int i = 0; i < owners.length; i++) {
                if (owners[i] < 0) {
                    continue; // a scalar of the optimizer's own (Nadam's u_product)
                }
                Matrix weight = trainable.get(owners[i]);
                int expected = weight.rows() * weight.cols();
                if (slots.get(i)[0].length != expected) {
                    throw new ModelFormatException(source + " optimizer/vars/" + (i + at) + ": " + slots.get(i)[0].length
                            + " values, but it is a slot of trainable weight " + owners[i] + " of " + expected
                            + " values");
                }
            }
            return state;
        } catch (Hdf5FormatException e) {
            throw new ModelFormatException(source + " optimizer/vars: " + e.getMessage(), e);
        }
    }

    /**
     * A legacy {@code .h5} file's {@code optimizer_weights} (its {@code weight_names} attribute names them in order):
     * Keras 3's ({@code adam/iteration}, {@code adam/learning_rate}, then the slots in Keras 3's order, as in
     * {@code optimizer/vars}) and Keras 1 and 2's ({@code Adam/iterations:0} or {@code SGD/iterations:0}, then the
     * slots of each kind for every trainable weight in turn: all momenta, then all second moments, Keras 2.2's
     * {@code training/SGD/Variable_N:0} or tf.keras's {@code Adam/dense/kernel/m:0}), which is nn-core's order. Slots are
     * matched to the trainable weights by their order and checked by their size. Keras 2.2's placeholders are dropped:
     * Adam's {@code vhat} of one value per weight without amsgrad, SGD's moments without momentum (unused by its next
     * step). Read for Adam, AdamW, SGD and RMSprop (Keras 2) and every optimizer {@link OptimizerState} maps (Keras 3).
     *
     * @return the state, or null if the file has none or it is Keras 2's of another optimizer (Nadam's
     *     {@code m_schedule}, Adadelta's, Adagrad's, Adamax's and Ftrl's Keras 2 layouts are not read)
     */
    static OptimizerState readLegacyWeights(Hdf5File file, Network network, Optimizer optimizer, String source)
            throws ModelFormatException {
        String where = source + " optimizer_weights";
        try {
            if (optimizer == null || !file.root().has("optimizer_weights")) {
                return null;
            }
            Hdf5Group group = file.root().group("optimizer_weights");
            dev.nncore.internal.hdf5.Hdf5Attribute attribute = group.attributes().get("weight_names");
            if (attribute == null || attribute.size() == 0) {
                return null;
            }
            String[] names = attribute.stringValues();
            boolean keras2 = Arrays.stream(names).anyMatch(name -> name.endsWith(":0"));
            List<Matrix> trainable = trainableWeights(network);
            int n = trainable.size();
            long iterations = 0;
            double rate = Double.NaN;
            List<float[][]> slots = new ArrayList<>();
            List<String> slotNames = new ArrayList<>();
            for (String name : names) {
                if (!group.has(name)) {
                    throw new ModelFormatException(where + ": weight_names names \"" + name + "\", which is not a"
                            + " dataset of the group");
                }
                Hdf5Dataset dataset = group.dataset(name);
                String last = name.substring(name.lastIndexOf('/') + 1).replace(":0", "");
                if (dataset.shape().length == 0 && (last.equals("iterations") || last.equals("iteration") || last.equals("iter"))) {
                    iterations = dataset.dataType().kind() == Hdf5DataType.Kind.FLOAT ? (long) dataset.readDoubles()[0]
                            : dataset.readLongs()[0];
                } else if (dataset.shape().length == 0 && (last.equals("learning_rate") || last.equals("lr"))) {
                    rate = dataset.readDoubles()[0];
                } else {
                    slots.add(new float[][] {dataset.readFloats()});
                    slotNames.add(name);
                }
            }
            double configured = optimizer.kerasConfig().get("learning_rate") instanceof Number r ? r.doubleValue()
                    : 0.001;
            if (optimizer.schedule() != null || Double.isNaN(rate) || (float) rate == (float) configured) {
                rate = configured;
            }
            if (!keras2) {
                OptimizerState state;
                try {
                    state = OptimizerState.fromKerasVariables(optimizer, iterations, rate, slots, n);
                } catch (IllegalArgumentException e) {
                    throw new UnsupportedModelException(where + ": " + e.getMessage() + " (the model has " + n
                            + " trainable weights); load the network alone with Keras.load");
                }
                checkSizes(state.kerasVariableWeights(optimizer), slots, slotNames, trainable, where);
                return state;
            }
            String name = optimizer.kerasClassName();
            int kinds = slots.size() / Math.max(n, 1);
            if (name.equals("Adam") && !Boolean.TRUE.equals(optimizer.kerasConfig().get("amsgrad"))
                    && slots.size() == 3 * n && slots.subList(2 * n, 3 * n).stream().allMatch(s -> s[0].length == 1)) {
                slots = slots.subList(0, 2 * n);          // Keras 2.2's vhat placeholders
                slotNames = slotNames.subList(0, 2 * n);
            } else if (name.equals("SGD") && slots.size() == n && ((Number) optimizer.kerasConfig()
                    .getOrDefault("momentum", 0.0)).doubleValue() == 0) {
                slots = List.of();                        // moments SGD without momentum never reads
                slotNames = List.of();
            } else if (!List.of("Adam", "AdamW", "SGD", "RMSprop").contains(name)) {
                return null;
            }
            if (slots.size() % Math.max(n, 1) != 0) {
                throw new UnsupportedModelException(where + ": " + slots.size() + " slot variables for " + n
                        + " trainable weights (" + name + "); load the network alone with Keras.load");
            }
            kinds = slots.size() / n;
            // Keras 2's block order is nn-core's: put it in Keras 3's order, the one fromKerasVariables reads, by
            // the permutation fromKerasVariables applies to markers
            List<float[][]> markers = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                markers.add(new float[][] {{i}});
            }
            OptimizerState probe;
            try {
                probe = OptimizerState.fromKerasVariables(optimizer, 0, rate, markers, n);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedModelException(where + ": " + e.getMessage() + " (the model has " + n
                        + " trainable weights, " + kinds + " slots each); load the network alone with Keras.load");
            }
            List<float[][]> order = probe.variables();
            float[][][] keras = new float[slots.size()][][];
            String[] kerasNames = new String[slots.size()];
            for (int i = 0; i < slots.size(); i++) {
                int at = (int) order.get(i)[0][0];
                keras[at] = slots.get(i);
                kerasNames[at] = slotNames.get(i);
            }
            OptimizerState state = OptimizerState.fromKerasVariables(optimizer, iterations, rate, List.of(keras), n);
            checkSizes(state.kerasVariableWeights(optimizer), List.of(keras), List.of(kerasNames), trainable, where);
            return state;
        } catch (Hdf5FormatException e) {
            throw new ModelFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private static void checkSizes(int[] owners, List<float[][]> slots, List<String> names, List<Matrix> trainable,
            String where) throws ModelFormatException {
        for (int i = 0; i < owners.length; i++) {
            if (owners[i] < 0) {
                continue;
            }
            Matrix weight = trainable.get(owners[i]);
            int expected = weight.rows() * weight.cols();
            if (slots.get(i)[0].length != expected) {
                throw new ModelFormatException(where + " " + names.get(i) + ": " + slots.get(i)[0].length
                        + " values, but it is a slot of trainable weight " + owners[i] + " of " + expected + " values");
            }
        }
    }

    private static Hdf5Dataset dataset(Hdf5Group vars, int index, int count, String source)
            throws Hdf5FormatException, ModelFormatException {
        if (!vars.has(String.valueOf(index))) {
            throw new ModelFormatException(source + " optimizer/vars: " + count + " members but no dataset \"" + index
                    + "\"; Keras numbers them 0 to " + (count - 1));
        }
        return vars.dataset(String.valueOf(index));
    }

    private static List<Matrix> trainableWeights(Network network) {
        List<Matrix> out = new ArrayList<>();
        List<Boolean> flags = network.trainable();
        List<Matrix> weights = network.getWeights();
        for (int i = 0; i < weights.size(); i++) {
            if (flags.get(i)) {
                out.add(weights.get(i));
            }
        }
        return out;
    }

    /** Keras 3's {@code compile_config} of a setup, as {@code model.get_compile_config()} gives it. */
    static Map<String, Object> write(KerasTraining training) {
        Object loss;
        if (!training.losses().isEmpty()) {
            Map<String, Object> byOutput = new LinkedHashMap<>();
            for (String output : training.network().outputNames()) {
                Loss each = training.losses().getOrDefault(output, training.loss());
                if (each != null) {
                    byOutput.put(output, loss(each));
                }
            }
            loss = byOutput;
        } else {
            loss = training.loss() == null ? null : loss(training.loss());
        }
        Optimizer optimizer = training.optimizer();
        return orderedMap(
                "optimizer", optimizer == null ? null : orderedMap("module", "keras.optimizers",
                        "class_name", optimizer.kerasClassName(), "config", optimizer.kerasConfig(),
                        "registered_name", null),
                "loss", loss,
                "loss_weights", training.lossWeights().isEmpty() ? null : new LinkedHashMap<>(training.lossWeights()),
                "metrics", training.metrics().isEmpty() ? null : new ArrayList<>(training.metrics()),
                "weighted_metrics", null,
                "run_eagerly", false,
                "steps_per_execution", 1,
                "jit_compile", false);
    }

    /** A loss by name, or with its parameters as Keras 3 serializes a loss object. */
    private static Object loss(Loss loss) {
        if (loss.parameters().isEmpty() || loss.equals(Loss.fromKerasName(loss.kerasName()))) {
            return loss.kerasName(); // Keras's defaults: the name says it all, as in compile(loss="...")
        }
        StringBuilder className = new StringBuilder();
        for (String part : loss.kerasName().split("_")) {
            className.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        Map<String, Object> config = orderedMap("name", loss.kerasName(), "reduction", "sum_over_batch_size");
        config.putAll(loss.parameters());
        return orderedMap("module", "keras.losses", "class_name", className.toString(), "config", config,
                "registered_name", null);
    }

    /**
     * Writes Keras 3's optimizer variables into {@code model.weights.h5}: {@code optimizer/vars/0} the iterations
     * (int64), {@code 1} the learning rate (float32, without a schedule), then the slots in Keras's order and each
     * weight's Keras shape; a setup without a state gets a fresh one, as a compiled model Keras builds on loading.
     */
    static void writeVariables(Hdf5Writer writer, KerasTraining training) {
        Optimizer optimizer = training.optimizer();
        if (optimizer == null) {
            return;
        }
        Network network = training.network();
        OptimizerState state = training.optimizerState() != null ? training.optimizerState()
                : OptimizerState.initial(optimizer, network);
        List<float[][]> slots;
        int[] owners;
        try {
            slots = state.kerasVariables(optimizer);
            owners = state.kerasVariableWeights(optimizer);
        } catch (IllegalArgumentException e) {
            if (training.optimizerState() != null) {
                throw e;
            }
            // a fresh optimizer whose Keras order nn-core does not map: its step count and rate only; Keras warns
            // that the counts differ and starts its slots afresh, which is what they are
            slots = List.of();
            owners = new int[0];
        }
        List<long[]> shapes = new ArrayList<>();
        List<Boolean> flags = network.trainable();
        int flat = 0;
        for (Layer layer : network.layers()) {
            for (int i = 0; i < layer.weightNames().size(); i++) {
                if (flags.get(flat++)) {
                    shapes.add(Arrays.stream(layer.weightShape(i)).asLongStream().toArray());
                }
            }
        }
        if (shapes.size() != state.trainableWeights()) {
            throw new IllegalArgumentException("the optimizer state is for " + state.trainableWeights()
                    + " trainable weights, the network has " + shapes.size());
        }
        writer.group("optimizer");
        writer.group("optimizer/vars");
        writer.attribute("optimizer/vars", "name", optimizer.kerasName());
        writer.dataset("optimizer/vars/0", new long[0], new long[] {state.iterations()});
        int at = 1;
        if (optimizer.schedule() == null) {
            writer.dataset("optimizer/vars/1", new long[0], new float[] {(float) state.learningRate()});
            at = 2;
        }
        for (int i = 0; i < slots.size(); i++) {
            float[][] slot = slots.get(i);
            float[] values = new float[Arrays.stream(slot).mapToInt(row -> row.length).sum()];
            int k = 0;
            for (float[] row : slot) {
                System.arraycopy(row, 0, values, k, row.length);
                k += row.length;
            }
            writer.dataset("optimizer/vars/" + (at + i), owners[i] < 0 ? new long[0] : shapes.get(owners[i]), values);
        }
    }
}
