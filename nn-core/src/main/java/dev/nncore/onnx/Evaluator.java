package dev.nncore.onnx;

import dev.nncore.Activation;
import dev.nncore.onnx.OnnxModel.Node;
import dev.nncore.onnx.OnnxModel.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a small region of elementwise ONNX nodes (one data input, one-value constants) in float64 on probe values,
 * to recognise the multi-node forms of activations exporters write.
 */
final class Evaluator {

    static final Set<String> OPS = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Erf", "Tanh", "Sigmoid", "Softplus", "Exp",
            "Log", "Neg", "Sqrt", "Relu", "HardSigmoid", "Identity", "Cast");

    private final String input;
    private final List<Node> nodes;
    private final Map<String, Tensor> constants;

    Evaluator(String input, List<Node> nodes, Map<String, Tensor> constants) {
        this.input = input;
        this.nodes = nodes;
        this.constants = constants;
    }

    /** Compares at 161 points in [-4, 4]: float32 constants such as 0.70710677 allow about 1e-7 relative. */
    boolean matches(Activation activation) {
        for (int k = 0; k <= 160; k++) {
            double x = -4 + k * 0.05;
            double expected = activation.apply64(x)[0];
            double actual = evaluate(x);
            if (!(Math.abs(actual - expected) <= 1e-5 * (1 + Math.abs(expected)))) {
                return false;
            }
        }
        return true;
    }

    double evaluate(double x) {
        Map<String, Double> values = new HashMap<>();
        values.put(input, x);
        double last = x;
        for (Node node : nodes) {
            double a = value(values, node.input(0));
            double b = node.inputs().size() > 1 ? value(values, node.input(1)) : Double.NaN;
            last = switch (node.opType()) {
                case "Add" -> a + b;
                case "Sub" -> a - b;
                case "Mul" -> a * b;
                case "Div" -> a / b;
                case "Pow" -> Math.pow(a, b);
                case "Erf" -> erf(a);
                case "Tanh" -> Math.tanh(a);
                case "Sigmoid" -> 1 / (1 + Math.exp(-a));
                case "Softplus" -> a > 30 ? a : Math.log1p(Math.exp(a));
                case "Exp" -> Math.exp(a);
                case "Log" -> Math.log(a);
                case "Neg" -> -a;
                case "Sqrt" -> Math.sqrt(a);
                case "Relu" -> Math.max(a, 0);
                case "HardSigmoid" -> {
                    OnnxModel.Attribute alpha = node.attributes().get("alpha");
                    OnnxModel.Attribute beta = node.attributes().get("beta");
                    double y = (alpha == null ? 0.2 : alpha.f()) * a + (beta == null ? 0.5 : beta.f());
                    yield Math.max(0, Math.min(1, y));
                }
                default -> a; // Identity, Cast
            };
            values.put(node.outputs().get(0), last);
        }
        return last;
    }

    private double value(Map<String, Double> values, String name) {
        Double v = values.get(name);
        if (v != null) {
            return v;
        }
        Tensor t = constants.get(name);
        return t == null || t.count() != 1 ? Double.NaN : t.values()[0];
    }

    /** erf by its Taylor series, to about 1e-13 for |z| below 4; within 2e-8 of ±1 beyond. */
    static double erf(double z) {
        if (Math.abs(z) >= 4) {
            return Math.signum(z);
        }
        double sum = z;
        double term = z;
        for (int n = 1; n < 200; n++) {
            term *= -z * z / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
