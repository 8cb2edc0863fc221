package dev.nncore.train;

import dev.nncore.Backprop;
import dev.nncore.Loss;
import dev.nncore.Network;
import dev.nncore.internal.NetworkAccess;
import java.util.List;
import java.util.random.RandomGenerator;

/** Analytic gradients from {@code dev.nncore}'s float32 {@link Backprop}. */
final class BackpropStep implements StepKernel {

    private final Backprop backprop;
    private final List<float[][]> weights;
    private final WeightRules rules;
    private final String hint;
    private final boolean cut;

    BackpropStep(Network network, Loss loss, Optimizer optimizer, List<float[][]> weights, RandomGenerator random) {
        this(network, loss, OutputLosses.NONE, optimizer, weights, random);
    }

    BackpropStep(Network network, Loss loss, OutputLosses outputLosses, Optimizer optimizer, List<float[][]> weights,
            RandomGenerator random) {
        this(network, loss, outputLosses, optimizer, weights, random, null);
    }

    /** @param layout how {@code weights} are laid out: the network's order, or the first Dense layer's units cut */
    private BackpropStep(Network network, Loss loss, OutputLosses outputLosses, Optimizer optimizer,
            List<float[][]> weights, RandomGenerator random, UnitLayout layout) {
        this.backprop = layout.isCut() ? NetworkAccess.cutByUnits(network, loss, weights, random, layout.bounds())
                : Backprop.of(network, outputLosses.resolve(network, loss), outputLosses.weights(network), weights,
                        random);
        this.weights = weights;
        this.cut = layout.isCut();
        this.rules = WeightRules.of(network, true).inLayout(layout);
        this.hint = "try a smaller learning rate than " + optimizer.learningRate() + " (" + optimizer + ")";
    }

    @Override
    public double lossAndGradients(float[][] x, float[][] y, List<float[][]> gradients) {
        double loss = backprop.forward(x, y, true) + rules.penalty(weights);
        if (Double.isFinite(loss)) {
            backprop.backward(y, gradients);
            rules.addGradients(weights, gradients);
        }
        return loss;
    }

    @Override
    public double lossAndGradients(float[][] x, float[][] y, float[] sampleWeights, List<float[][]> gradients) {
        double loss = backprop.forward(x, y, sampleWeights, true) + rules.penalty(weights);
        if (Double.isFinite(loss)) {
            backprop.backward(y, gradients);
            rules.addGradients(weights, gradients);
        }
        return loss;
    }

    @Override
    public double loss(float[][] x, float[][] y) {
        return backprop.forward(x, y, false) + rules.penalty(weights);
    }

    @Override
    public boolean updateInParts(dev.nncore.internal.Kernels.Parts update) {
        if (!cut || rules.addsGradients()) {
            return false;
        }
        NetworkAccess.afterUnitGradients(backprop, update);
        return true;
    }

    @Override
    public void afterUpdate() {
        rules.constrain(weights);
    }

    @Override
    public float[][] outputs() {
        return backprop.outputs();
    }

    @Override
    public String divergenceHint() {
        return hint;
    }

    /** The kernels {@link BackpropTrainer}'s fits run on: they can cut the first layer's units. */
    static StepKernel.Factory factory(Settings settings) {
        return new StepKernel.Factory() {
            @Override
            public StepKernel make(Network network, List<float[][]> weights, RandomGenerator random) {
                return make(network, weights, random, UnitLayout.uncut(weights.size()));
            }

            @Override
            public StepKernel make(Network network, List<float[][]> weights, RandomGenerator random, UnitLayout layout) {
                return new BackpropStep(network, settings.loss(), settings.outputLosses(), settings.optimizer(), weights,
                        random, layout);
            }

            @Override
            public boolean cutsByUnits() {
                return settings.outputLosses() == OutputLosses.NONE;
            }
        };
    }
}
