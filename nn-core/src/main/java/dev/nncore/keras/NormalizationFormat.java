package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code Normalization} preprocessing layer over the last axis: the mean and variance come either from the
 * config (non-null {@code mean} and {@code variance}, a number or one per feature) or, after {@code adapt}, from
 * the weights {@code mean [n]}, {@code variance [n]} and a scalar {@code count}, which Keras 3 and tf.keras 2 both
 * keep and nn-core ignores (written as 0). {@code invert} undoes the normalisation.
 */
final class NormalizationFormat extends LayerFormat {

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        if (config.json().has("axis") && config.get("axis").isNull()) {
            throw config.unsupported("it has axis=None, one mean and variance over every value; nn-core normalises"
                    + " each feature of the last axis (axis=-1)");
        }
        boolean invert = config.bool("invert", false);
        boolean inConfig = config.has("mean") || config.has("variance");
        if (inConfig && !(config.has("mean") && config.has("variance"))) {
            throw config.error(config.has("mean") ? "variance" : "mean", "has a mean or a variance in its config but not both");
        }
        List<String> names = inConfig ? List.of() : List.of("mean", "variance", "count");
        return new LayerSpec(config) {
            @Override
            List<String> weightNames() {
                return names;
            }

            @Override
            int optionalWeights() {
                return inConfig ? 0 : 1;
            }

            @Override
            int[] outputShape(int[] inputShape) throws ModelFormatException {
                config.requireLastAxis("axis", -1, inputShape.length);
                return new int[] {flatWidth(inputShape)};
            }

            @Override
            List<long[]> weightShapes(int[] inputShape) throws ModelFormatException {
                int width = flatWidth(inputShape);
                return inConfig ? List.of() : List.of(new long[] {width}, new long[] {width}, new long[0]);
            }

            @Override
            String weightHint(int index) {
                return index < 2 ? "one value per feature" : "a scalar";
            }

            @Override
            Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
                float[] mean = inConfig ? perFeature(config, "mean", inputShape[0]) : values.get(0);
                float[] variance = inConfig ? perFeature(config, "variance", inputShape[0]) : values.get(1);
                return checked(() -> Normalization.of(mean, variance, invert).named(name()));
            }
        };
    }

    /** A config's mean or variance: a number for every feature, or one per feature (nested lists are flattened). */
    private static float[] perFeature(LayerConfig config, String key, int width) throws ModelFormatException {
        JsonView value = config.get(key);
        List<Double> numbers = new ArrayList<>();
        collect(value, numbers, 0, width);
        if (numbers.size() == 1) {
            float[] all = new float[width];
            java.util.Arrays.fill(all, numbers.get(0).floatValue());
            return all;
        }
        if (numbers.size() != width) {
            throw config.error(key, "has " + numbers.size() + " values of " + key + " for " + width + " features");
        }
        float[] out = new float[width];
        for (int i = 0; i < width; i++) {
            out[i] = numbers.get(i).floatValue();
        }
        return out;
    }

    private static void collect(JsonView value, List<Double> numbers, int depth, int width) throws ModelFormatException {
        if (value.isNumber()) {
            numbers.add(value.asDouble());
            return;
        }
        if (depth > 8 || numbers.size() > width) {
            throw value.error("expected a number or a list of one number per feature");
        }
        for (JsonView element : value.elements()) {
            collect(element, numbers, depth + 1, width);
        }
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        return Tfjs.orderedMap("axis", List.of(-1), "invert", ((Normalization) layer).invert(), "mean", null,
                "variance", null);
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }

    @Override
    List<Extra> extraWeights(Layer layer) {
        return List.of(new Extra("count", true));
    }
}
