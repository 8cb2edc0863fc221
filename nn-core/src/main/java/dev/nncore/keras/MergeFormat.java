package dev.nncore.keras;

import dev.nncore.Layer;
import dev.nncore.Merge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's merge layers ({@code Concatenate}, {@code Add}, {@code Subtract}, {@code Multiply}, {@code Average},
 * {@code Maximum}, {@code Minimum}, {@code Dot}), one format per class: they take several inputs, so a graph reads them
 * with the shapes of all their inputs ({@link Spec#merge}). {@code Concatenate} must join the last axis and
 * {@code Dot} must use {@code axes} -1 (or 1 on flat vectors); every input must be a flat vector.
 */
final class MergeFormat extends LayerFormat {

    private final Merge.Kind kind;

    MergeFormat(Merge.Kind kind) {
        this.kind = kind;
    }

    @Override
    LayerSpec read(LayerConfig config) throws ModelFormatException {
        if (kind == Merge.Kind.CONCATENATE) {
            config.requireLastAxis("axis", -1, 1);
        }
        boolean normalize = false;
        if (kind == Merge.Kind.DOT) {
            if (config.has("axes")) { // -1 or 1 (the batch axis counted) on flat vectors, alone or once per input
                JsonView axes = config.get("axes");
                List<JsonView> each = axes.isArray() ? axes.elements() : List.of(axes);
                boolean last = !each.isEmpty() && each.size() <= 2;
                for (JsonView axis : each) {
                    last &= axis.isNumber() && (axis.asDouble() == -1 || axis.asDouble() == 1);
                }
                if (!last) {
                    throw config.unsupported("it has axes " + axes.raw() + "; nn-core computes Dot over the last axis of"
                            + " two flat vectors only (axes=-1)");
                }
            }
            normalize = config.bool("normalize", false);
        }
        return new Spec(config, kind, normalize);
    }

    /** A merge as a file describes it: built once the shapes of its inputs are known. */
    static final class Spec extends LayerSpec {
        private final Merge.Kind kind;
        private final boolean normalize;

        Spec(LayerConfig config, Merge.Kind kind, boolean normalize) {
            super(config);
            this.kind = kind;
            this.normalize = normalize;
        }

        /**
         * The merge of inputs of these shapes.
         *
         * @throws ModelFormatException if the shapes do not suit the operation, e.g. an Add of widths 3 and 4
         */
        Merge merge(List<int[]> shapes) throws ModelFormatException {
            int[] widths = new int[shapes.size()];
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < widths.length; i++) {
                int[] shape = shapes.get(i);
                texts.add(LayerSpec.shapeText(shape));
                if (shape.length != 1) {
                    throw unsupported("its input " + i + " has shape " + LayerSpec.shapeText(shape) + ", and nn-core"
                            + " merges flat vectors only; add a Flatten layer before it");
                }
                widths[i] = shape[0];
            }
            try {
                Merge merge;
                if (kind == Merge.Kind.DOT) {
                    if (widths.length != 2 || widths[0] != widths[1]) {
                        throw new IllegalArgumentException("Dot needs 2 inputs of one width");
                    }
                    merge = Merge.dot(widths[0], normalize);
                } else {
                    merge = Merge.of(kind, widths);
                }
                return merge.named(name());
            } catch (IllegalArgumentException e) {
                throw error("cannot merge inputs of shapes " + texts + ": " + e.getMessage());
            }
        }

        @Override
        int[] outputShape(int[] inputShape) throws ModelFormatException {
            throw error("merges several inputs; it cannot follow a single layer in a chain");
        }

        @Override
        Layer build(int[] inputShape, List<float[]> values) throws ModelFormatException {
            throw error("merges several inputs; it cannot follow a single layer in a chain");
        }
    }

    @Override
    Map<String, Object> kerasConfig(Layer layer) {
        return switch (kind) {
            case CONCATENATE -> Tfjs.orderedMap("axis", -1);
            case DOT -> Tfjs.orderedMap("axes", -1, "normalize", ((Merge) layer).normalize());
            default -> Tfjs.orderedMap();
        };
    }

    @Override
    Map<String, Object> tfjsConfig(Layer layer) {
        return kerasConfig(layer);
    }
}
