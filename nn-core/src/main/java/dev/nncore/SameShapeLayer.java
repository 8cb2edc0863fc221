package dev.nncore;

/**
 * A layer whose output has its input's shape, value for value: activation layers, Dropout and the noise layers,
 * Rescaling. It may stand anywhere, also before a Flatten, since it never mixes the values of a sample.
 */
abstract class SameShapeLayer extends Layer {

    /** Values per sample, in and out. */
    final int width;

    SameShapeLayer(String name, int width) {
        super(name);
        this.width = width;
    }

    @Override
    public final int inputs() {
        return width;
    }

    @Override
    public final int outputs() {
        return width;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }
}
