package dev.nncore.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A second JVM for the tests that need one of their own: a small heap, other JIT or kernel options, a fresh process.
 * The child runs this JVM's {@code java}; its output goes to a file rather than a pipe, so that a child that hangs is
 * killed at the time limit (reading a pipe to its end would wait for it forever) and the test fails with the output
 * it had printed.
 *
 * <pre>{@code
 * ChildJvm.Result result = ChildJvm.withOptions("-Xmx32m").run(Probe.class, "arg");
 * assertThat(result.exitCode()).as(result.output()).isZero();
 * }</pre>
 */
public final class ChildJvm {

    /**
     * A child that ended.
     *
     * @param exitCode its exit code
     * @param output what it printed: standard output, with standard error merged in unless {@link #separateErrors()}
     * @param errors its standard error when kept apart, else empty
     */
    public record Result(int exitCode, String output, String errors) {
    }

    private final List<String> options;
    private String classPath = System.getProperty("java.class.path");
    private Path directory;
    private Duration timeout = Duration.ofSeconds(120);
    private boolean separateErrors;

    private ChildJvm(List<String> options) {
        this.options = options;
    }

    /** A child with these JVM options (empty strings are dropped). */
    public static ChildJvm withOptions(String... options) {
        return withOptions(Arrays.asList(options));
    }

    /** A child with these JVM options (empty strings are dropped). */
    public static ChildJvm withOptions(List<String> options) {
        return new ChildJvm(options.stream().filter(option -> !option.isEmpty()).toList());
    }

    /**
     * Puts only the folders or jars that hold these classes on the child's class path (default: this JVM's whole
     * class path), so that a heap bound counts nn-core and its probe, not the test libraries.
     */
    public ChildJvm classPathOf(Class<?>... classes) {
        classPath = Arrays.stream(classes).map(ChildJvm::location).distinct().collect(Collectors.joining(File.pathSeparator));
        return this;
    }

    /** Sets the class path given to {@link #run(Class, String...)}. */
    public ChildJvm classPath(String path) {
        classPath = path;
        return this;
    }

    /** Runs the child in {@code folder} (default: this JVM's working directory). */
    public ChildJvm in(Path folder) {
        directory = folder;
        return this;
    }

    /** Kills the child and fails after {@code limit} (default: 120 s). */
    public ChildJvm timeout(Duration limit) {
        timeout = limit;
        return this;
    }

    /** Keeps the child's standard error out of {@link Result#output()}, in {@link Result#errors()}. */
    public ChildJvm separateErrors() {
        separateErrors = true;
        return this;
    }

    /** Runs {@code main} with {@code args} on the class path, and waits for it to end. */
    public Result run(Class<?> main, String... args) {
        List<String> arguments = new ArrayList<>(List.of("-cp", classPath, main.getName()));
        arguments.addAll(List.of(args));
        return run(arguments);
    }

    /** Runs {@code java} with the options, then {@code arguments} as given (a class path and a main class, or a module). */
    public Result run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(arguments);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("child-jvm", ".out");
            err = Files.createTempFile("child-jvm", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
            if (separateErrors) {
                builder.redirectError(err.toFile());
            } else {
                builder.redirectErrorStream(true);
            }
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the child JVM did not end within " + timeout.toSeconds() + " s and was killed: "
                        + command + "\nits output:\n" + Files.readString(out, StandardCharsets.UTF_8)
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + command, e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no file location for " + type.getName(), e);
        }
    }
}
