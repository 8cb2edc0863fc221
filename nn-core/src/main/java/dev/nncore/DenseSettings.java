package dev.nncore;

import java.util.Objects;

/**
 * What a {@link Dense} layer carries beside its weights and activation, as Keras's Dense config does: how its weights
 * started (written back to Keras files), the penalties {@code fit} adds to the loss, and the projections applied after
 * each update. Null means none (regularizers, constraints). Immutable.
 */
record DenseSettings(Initializer kernelInitializer, Initializer biasInitializer, Regularizer kernelRegularizer,
        Regularizer biasRegularizer, Regularizer activityRegularizer, Constraint kernelConstraint, Constraint biasConstraint) {

    /** Keras's defaults: glorot_uniform kernel, zeros bias, nothing else. */
    static final DenseSettings DEFAULT = new DenseSettings(Initializer.GLOROT_UNIFORM, Initializer.ZEROS, null, null, null,
            null, null);

    DenseSettings {
        Objects.requireNonNull(kernelInitializer, "kernelInitializer");
        Objects.requireNonNull(biasInitializer, "biasInitializer");
    }

    DenseSettings withInitializers(Initializer kernel, Initializer bias) {
        return new DenseSettings(kernel, bias, kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint,
                biasConstraint);
    }

    DenseSettings withRegularizers(Regularizer kernel, Regularizer bias, Regularizer activity) {
        return new DenseSettings(kernelInitializer, biasInitializer, kernel, bias, activity, kernelConstraint, biasConstraint);
    }

    DenseSettings withConstraints(Constraint kernel, Constraint bias) {
        return new DenseSettings(kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, activityRegularizer,
                kernel, bias);
    }
}
