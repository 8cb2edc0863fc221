package dev.nncore.train;

/**
 * An update rule you write yourself, Keras's {@code update_step} of a custom optimizer: called once per trainable
 * weight tensor per step, with that tensor's slots (per-weight state, each shaped like the weight). Wrap it with
 * {@link Optimizer#custom(String, double, UpdateRule)} and it gets everything an optimizer shares: a learning rate or
 * {@link LearningRateSchedule}, clipping, weight decay and EMA, all applied around it as Keras applies them.
 *
 * <pre>{@code
 * // heavy-ball momentum, one slot per weight: v = 0.9 v - lr g; w += v
 * UpdateRule momentum = new UpdateRule() {
 *     @Override
 *     public int slots() {
 *         return 1;
 *     }
 *
 *     @Override
 *     public void update(float[][] weight, float[][] gradient, float[][][] slots, double learningRate, long iterations) {
 *         float[][] velocity = slots[0];
 *         for (int r = 0; r < weight.length; r++) {
 *             for (int c = 0; c < weight[r].length; c++) {
 *                 velocity[r][c] = (float) (0.9 * velocity[r][c] - learningRate * gradient[r][c]);
 *                 weight[r][c] += velocity[r][c];
 *             }
 *         }
 *     }
 * };
 * Optimizer mine = Optimizer.custom("heavy_ball", 0.01, momentum).clipNorm(1.0);
 * }</pre>
 *
 * <p>An implementation should keep no state of its own outside the slots, so that one rule can serve several fits
 * (and so that {@link BackupAndRestore} can save and restore it). Called from the fit's thread only.
 *
 * @since 0.2.0
 */
public interface UpdateRule {

    /** @return the number of slots per weight tensor, at least 0; default 0 */
    default int slots() {
        return 0;
    }

    /**
     * @param slot the slot, from 0
     * @return the slot's starting value for every element (Adagrad's accumulator starts at 0.1); default 0
     */
    default float initialValue(int slot) {
        return 0f;
    }

    /**
     * Updates one weight tensor in place.
     *
     * @param weight the weight tensor, {@code [rows][columns]}; overwritten with its new value
     * @param gradient its gradient, clipped if the optimizer clips; read only
     * @param slots this tensor's slots, each shaped like {@code weight}; yours to read and overwrite
     * @param learningRate this step's learning rate (from the schedule, if any)
     * @param iterations the updates made before this one, from 0 (Keras's {@code optimizer.iterations})
     */
    void update(float[][] weight, float[][] gradient, float[][][] slots, double learningRate, long iterations);
}
