package dev.nncore.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Keras 3's {@code optimizer.get_config()} dict, written from and read into an {@link Optimizer}. */
final class OptimizerConfig {

    private OptimizerConfig() {
    }

    static Map<String, Object> write(Optimizer optimizer) {
        OptimizerRule rule = optimizer.rule();
        LearningRateSchedule schedule = optimizer.schedule();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", rule.kerasClassName().equals("SGD") ? "SGD" : optimizer.kerasName());
        if (schedule == null) {
            config.put("learning_rate", optimizer.fixedLearningRate());
        } else {
            if (schedule.kerasClassName() == null) {
                throw new IllegalStateException("the learning rate schedule " + schedule + " is your own; Keras's config"
                        + " can only name its own schedules");
            }
            Map<String, Object> serialized = new LinkedHashMap<>();
            serialized.put("module", "keras.optimizers.schedules");
            serialized.put("class_name", schedule.kerasClassName());
            serialized.put("config", new LinkedHashMap<>(schedule.kerasConfig()));
            serialized.put("registered_name", null);
            config.put("learning_rate", serialized);
        }
        config.put("weight_decay", optimizer.weightDecayValue() == 0 ? null : optimizer.weightDecayValue());
        config.put("clipnorm", optimizer.clipNormValue() == 0 ? null : optimizer.clipNormValue());
        config.put("global_clipnorm", optimizer.globalClipNormValue() == 0 ? null : optimizer.globalClipNormValue());
        config.put("clipvalue", optimizer.clipValueValue() == 0 ? null : optimizer.clipValueValue());
        config.put("use_ema", !Double.isNaN(optimizer.emaMomentumValue()));
        config.put("ema_momentum", Double.isNaN(optimizer.emaMomentumValue()) ? 0.99 : optimizer.emaMomentumValue());
        config.put("ema_overwrite_frequency", optimizer.emaOverwriteFrequencyValue() == 0 ? null : optimizer.emaOverwriteFrequencyValue());
        config.put("loss_scale_factor", null);
        config.put("gradient_accumulation_steps", null);
        config.putAll(rule.config());
        return config;
    }

    static Optimizer read(String className, Map<String, ?> config) {
        String name = String.valueOf(className);
        KerasConfig c = new KerasConfig(name, config);
        for (String unsupported : List.of("loss_scale_factor", "gradient_accumulation_steps")) {
            if (c.has(unsupported)) {
                throw new IllegalArgumentException(name + " config \"" + unsupported + "\" is "
                        + c.raw(unsupported) + "; nn-core supports only null");
            }
        }
        Optimizer base = switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> Optimizer.sgd(0.01, c.number("momentum", 0), c.flag("nesterov", false));
            case "adam" -> Optimizer.adam(0.001, c.number("beta_1", 0.9), c.number("beta_2", 0.999), c.number("epsilon", 1e-7),
                    c.flag("amsgrad", false));
            case "adamw" -> Optimizer.adamW(0.001, c.number("weight_decay", 0.004), c.number("beta_1", 0.9),
                    c.number("beta_2", 0.999), c.number("epsilon", 1e-7), c.flag("amsgrad", false));
            case "rmsprop" -> Optimizer.rmsprop(0.001, c.number("rho", 0.9), c.number("momentum", 0), c.number("epsilon", 1e-7),
                    c.flag("centered", false));
            case "adagrad" -> Optimizer.adagrad(0.001, c.number("initial_accumulator_value", 0.1), c.number("epsilon", 1e-7));
            case "adadelta" -> Optimizer.adadelta(0.001, c.number("rho", 0.95), c.number("epsilon", 1e-7));
            case "adamax" -> Optimizer.adamax(0.001, c.number("beta_1", 0.9), c.number("beta_2", 0.999), c.number("epsilon", 1e-7));
            case "nadam" -> Optimizer.nadam(0.001, c.number("beta_1", 0.9), c.number("beta_2", 0.999), c.number("epsilon", 1e-7));
            case "lion" -> Optimizer.lion(0.001, c.number("beta_1", 0.9), c.number("beta_2", 0.99));
            case "ftrl" -> Optimizer.ftrl(0.001, c.number("learning_rate_power", -0.5), c.number("initial_accumulator_value", 0.1),
                    c.number("l1_regularization_strength", 0), c.number("l2_regularization_strength", 0),
                    c.number("l2_shrinkage_regularization_strength", 0), c.number("beta", 0));
            default -> throw new IllegalArgumentException("unknown optimizer \"" + name + "\"; known: SGD, Adam, AdamW,"
                    + " RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl");
        };
        Object rate = c.raw("learning_rate");
        if (rate instanceof Map<?, ?> serialized) {
            @SuppressWarnings("unchecked")
            Map<String, ?> inner = (Map<String, ?>) serialized.get("config");
            base = base.withSchedule(LearningRateSchedule.fromKerasConfig(String.valueOf(serialized.get("class_name")),
                    inner));
        } else if (rate != null) {
            base = base.withLearningRate(c.number("learning_rate", 0.001));
        } else if (name.equalsIgnoreCase("sgd")) {
            base = base.withLearningRate(0.01);
        }
        if (!name.equalsIgnoreCase("adamw") && c.number("weight_decay", 0) != 0) {
            base = base.weightDecay(c.number("weight_decay", 0));
        }
        if (c.number("clipnorm", 0) != 0) {
            base = base.clipNorm(c.number("clipnorm", 0));
        }
        if (c.number("clipvalue", 0) != 0) {
            base = base.clipValue(c.number("clipvalue", 0));
        }
        if (c.number("global_clipnorm", 0) != 0) {
            base = base.globalClipNorm(c.number("global_clipnorm", 0));
        }
        if (c.flag("use_ema", false)) {
            base = base.ema(c.number("ema_momentum", 0.99), (int) c.whole("ema_overwrite_frequency", 0));
        }
        return base;
    }

}
