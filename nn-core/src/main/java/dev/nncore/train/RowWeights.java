package dev.nncore.train;

import java.util.Map;

/** Each training row's weight: its sample weight times its class's weight (Keras's {@code class_weight}). */
final class RowWeights {

    private RowWeights() {
    }

    /**
     * @return one weight per row, or null when neither sample nor class weights are given
     * @throws IllegalArgumentException if there is not one finite sample weight of at least 0 per row
     */
    static float[] of(float[] sampleWeights, Map<Integer, Double> classWeight, float[][] y) {
        if (sampleWeights == null && classWeight.isEmpty()) {
            return null;
        }
        if (sampleWeights != null && sampleWeights.length != y.length) {
            throw new IllegalArgumentException("expected a sample weight for each of " + y.length + " rows, got "
                    + sampleWeights.length);
        }
        float[] weights = new float[y.length];
        for (int r = 0; r < y.length; r++) {
            float weight = sampleWeights == null ? 1f : sampleWeights[r];
            if (!(weight >= 0) || Float.isInfinite(weight)) {
                throw new IllegalArgumentException("sample weight " + r + " must be finite and at least 0, got " + weight);
            }
            if (!classWeight.isEmpty()) {
                weight *= classWeight.getOrDefault(classOf(y[r]), 1.0).floatValue();
            }
            weights[r] = weight;
        }
        return weights;
    }

    /** The index of the largest target (one-hot), or one target rounded (a 0/1 or integer label). */
    static int classOf(float[] target) {
        if (target.length == 1) {
            return Math.round(target[0]);
        }
        int best = 0;
        for (int j = 1; j < target.length; j++) {
            if (target[j] > target[best]) {
                best = j;
            }
        }
        return best;
    }
}
