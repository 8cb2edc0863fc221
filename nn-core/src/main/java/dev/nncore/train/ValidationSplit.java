package dev.nncore.train;

/**
 * Which rows {@link TrainerBuilder#validationSplit(double, ValidationSplit)} holds out for validation.
 * <pre>{@code
 * BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.CATEGORICAL_CROSSENTROPY)
 *         .validationSplit(0.2, ValidationSplit.STRATIFIED).build();
 * }</pre>
 *
 * @since 0.1
 */
public enum ValidationSplit {
    /** Keras's {@code validation_split}: the last rows, before any shuffling (on a file sorted by class, one class). */
    LAST,
    /** As many rows as {@link #LAST} holds out, chosen at random from the fit's seed. */
    SHUFFLED,
    /**
     * From each class (the argmax of one-hot targets, or the value of one target column) {@code round(rows * split)}
     * of its rows, chosen at random from the fit's seed, so each class keeps its share within one row.
     */
    STRATIFIED
}
