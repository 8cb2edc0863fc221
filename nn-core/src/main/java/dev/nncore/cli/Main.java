package dev.nncore.cli;

import java.io.PrintStream;

/**
 * The entry point of {@code java -jar nn-core.jar}: with no arguments, or {@code demo}, it tells the story of the
 * XOR network from the tutorial "extracting Keras weights and computing the network by hand".
 *
 * <pre>{@code
 * java -jar nn-core/target/nn-core-0.1.0-SNAPSHOT.jar demo
 * }</pre>
 */
public final class Main {

    /** Exit code for a command-line mistake, as BSD's sysexits {@code EX_USAGE}. */
    static final int EXIT_USAGE = 64;

    private Main() {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs a command, writing to the given streams; what {@link #main} does, without exiting.
     *
     * @param args the command and its arguments
     * @param out where results go
     * @param err where errors go
     * @return the exit status: 0 for success, {@value #EXIT_USAGE} for a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "demo" : args[0];
        switch (command) {
            case "demo":
                if (args.length > 1) {
                    err.println("demo takes no arguments, got " + (args.length - 1));
                    return EXIT_USAGE;
                }
                XorDemo.run(out);
                return 0;
            case "info":
                out.println("nn-core " + version());
                out.println("Java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " processors");
                out.println("matrix kernel: " + dev.nncore.math.MatrixOps.kernelName()
                        + (dev.nncore.math.MatrixOps.kernelName().startsWith("Vector") ? ""
                        : " (java --add-modules jdk.incubator.vector ... turns on the Vector API kernel)"));
                return 0;
            case "help":
            case "--help":
            case "-h":
                out.print(usage());
                return 0;
            default:
                err.println("Unknown command '" + command + "'.");
                err.print(usage());
                return EXIT_USAGE;
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    static String usage() {
        return """
                Usage: java -jar nn-core.jar [command]

                Commands:
                  demo     the XOR network of the "no magic" tutorial: summary, weights, outputs (default)
                  info     versions and the matrix kernel in use
                  --help   this text
                """;
    }
}
