package dev.nncore.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's arguments: positional values and {@code --name value} (or {@code --name=value}) options, checked
 * against the options the command knows. {@code -o} is short for {@code --output}.
 */
final class Arguments {

    private final String command;
    private final List<String> positionals;
    private final Map<String, String> options;
    /** Every value of each option that may be given several times, in order. */
    private final Map<String, List<String>> repeated;

    private Arguments(String command, List<String> positionals, Map<String, String> options,
            Map<String, List<String>> repeated) {
        this.command = command;
        this.positionals = positionals;
        this.options = options;
        this.repeated = repeated;
    }

    static Arguments parse(String command, List<String> args, Set<String> known) throws UsageException {
        return parse(command, args, known, Set.of());
    }

    /**
     * @param command the command's name, for messages
     * @param args the arguments after the command
     * @param known the options the command takes, each followed by a value, e.g. {@code --input}
     * @param repeatable those of {@code known} that may be given several times ({@link #all})
     */
    static Arguments parse(String command, List<String> args, Set<String> known, Set<String> repeatable)
            throws UsageException {
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (name.equals("-o")) {
                name = "--output";
            }
            if (!known.contains(name)) {
                throw new UsageException(known.isEmpty() ? command + " takes no options, got '" + arg + "'"
                        : "unknown option '" + arg + "' for " + command + "; it takes " + String.join(", ", known));
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value");
                }
                value = args.get(++i);
            }
            repeated.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            if (options.put(name, value) != null && !repeatable.contains(name)) {
                throw new UsageException(name + " is given twice");
            }
        }
        return new Arguments(command, positionals, options, repeated);
    }

    /** The one positional argument, the model file. */
    String model() throws UsageException {
        if (positionals.isEmpty()) {
            throw new UsageException(command + " needs a MODEL file (a .keras, .h5 or TensorFlow.js model.json)");
        }
        if (positionals.size() > 1) {
            throw new UsageException(command + " takes one MODEL file, got " + positionals.size() + ": " + positionals);
        }
        return positionals.get(0);
    }

    /** The one positional argument, a CSV data file. */
    String data() throws UsageException {
        if (positionals.size() != 1) {
            throw new UsageException(command + " needs one CSV data file, got " + positionals.size()
                    + (positionals.isEmpty() ? "" : ": " + positionals));
        }
        return positionals.get(0);
    }

    List<String> positionals() {
        return List.copyOf(positionals);
    }

    /** A decimal option within {@code [min, max]}, or {@code fallback} if absent. */
    double decimal(String name, double fallback, double min, double max) throws UsageException {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a number from " + min + " to " + max + ", got '" + text + "'");
    }

    void noPositionals() throws UsageException {
        if (!positionals.isEmpty()) {
            throw new UsageException(command + " takes no MODEL file, got " + positionals);
        }
    }

    String option(String name) {
        return options.get(name);
    }

    /** Every value of an option, in the order given; empty if absent. */
    List<String> all(String name) {
        return List.copyOf(repeated.getOrDefault(name, List.of()));
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    /** A comma-separated list of numbers, e.g. {@code --input 1,0}. */
    float[] numbers(String name) throws UsageException {
        return numbers(name, options.get(name));
    }

    /** {@link #numbers(String)} of one given value of the option. */
    static float[] numbers(String name, String text) throws UsageException {
        String[] parts = text.split(",", -1);
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + " '" + text + "': value " + (i + 1) + " ('" + parts[i].trim()
                        + "') is not a number; write the values separated by commas, e.g. " + name + " 1,0");
            }
        }
        return values;
    }

    /** An integer option within {@code [min, max]}, or {@code fallback} if absent. */
    int integer(String name, int fallback, int min, int max) throws UsageException {
        String text = options.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
    }
}
