package dev.nncore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.Activation;
import dev.nncore.Network;
import dev.nncore.onnx.Onnx;
import dev.nncore.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of README.md and of the Javadoc, read out of those files, compiled with the JDK's compiler and run:
 * an example edited to a wrong value fails here, and so does one that no longer compiles. No copy of an example is
 * kept in a test.
 *
 * <p>What is read: every {@code ```java} block of README.md, in the order written, then every
 * {@code <pre>{@code ...}</pre>} block under {@code src/main/java}, file by file. Each is compiled on its own as the
 * body of a method, with the imports of {@link DocSnippet#PREAMBLE} (the root package, math, train, keras, onnx,
 * explain, data, metrics, {@code java.io}, {@code java.nio.file}, {@code java.util} and {@code java.util.stream});
 * {@code import} lines at the top of an example are added to them. All run, in that order, in one JVM whose working
 * directory holds {@code iris.csv} (150 rows, label {@code species}), {@code model.keras}, {@code model.json} with
 * {@code weights.h5} (the XOR models of {@code src/test/resources/keras-models}) and {@code mlp.onnx} (a 4-8-3
 * network), so README examples that save a file may be read by later ones.
 *
 * <p>The conventions:
 * <ul>
 *   <li>A first line {@code // given: video, x} declares values from {@link DocGivens}, which describes each
 *       ({@code video}: the network of the "no magic" video; {@code network}, {@code x}, {@code y}: a 2-input softmax
 *       network and XOR as one-hot classes; {@code trainer}, {@code result}, {@code iris}, {@code data}, {@code csv},
 *       {@code yTrue}, {@code yPred}, {@code kernel}).</li>
 *   <li>A trailing comment that starts with a value checks it, if the value is followed by the comment's end or by
 *       {@code , : ; =}: on {@code float[] y = ...; // {0.96}} the variable {@code y}; on an expression statement
 *       {@code cm.accuracy(); // 0.75} the expression's value; {@code ...; // out = {1, 1}} the variable
 *       {@code out} after the statement. A value is a number (matched to its printed digits: {@code 0.96} accepts
 *       0.96000004), {@code true}/{@code false}, a Java string literal (exact), {@code ... "text" ...} (contains),
 *       a constant such as {@code Activation.RELU} (equals), or a bracketed {@code {...}}/{@code [...]} (arrays,
 *       lists and matrices element by element, anything else by its {@code toString()}); see {@link DocCheck}.</li>
 *   <li>{@code // throws IllegalArgumentException: "... words ..."} expects the statement to throw that, with a
 *       message containing the words.</li>
 *   <li>Any other comment is prose and is not checked: {@code // close to {1}}, {@code // about 10}.</li>
 * </ul>
 */
class DocExamplesTest {

    /**
     * Files whose examples are not compiled yet, with why. Each example of these files is reported as skipped.
     */
    static final Map<String, String> SKIPPED = new LinkedHashMap<>();

    static {
        String reason = "being rewritten on another branch; its examples join this test after that merge";
    }

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @TempDir
    static Path work;

    @TestFactory
    Stream<DynamicTest> examples() throws IOException, InterruptedException {
        List<DocSnippet> snippets = new ArrayList<>(DocSnippet.fromMarkdown(PROJECT.resolve("../README.md"), "README.md"));
        snippets.addAll(DocSnippet.fromJavadoc(PROJECT.resolve("src/main/java")));
        assertThat(snippets).as("examples found").hasSizeGreaterThan(50);

        Map<String, String> outcome = new LinkedHashMap<>();   // class name -> null (passed) or a failure message
        Map<String, DocSnippet> byClass = new LinkedHashMap<>();
        for (int i = 0; i < snippets.size(); i++) {
            DocSnippet snippet = snippets.get(i);
            if (skipReason(snippet) == null) {
                byClass.put("S" + i, snippet);
            }
        }
        long checks = byClass.entrySet().stream()
                .mapToLong(e -> e.getValue().toJava(e.getKey()).split("DocCheck\\.(check|same|thrown)\\(", -1).length - 1).sum();
        assertThat(checks).as("values checked in comments (a change of convention that checks nothing fails here)")
                .isGreaterThan(55);
        Path classes = Files.createDirectories(work.resolve("classes"));
        compile(byClass, classes, outcome);
        List<String> runnable = byClass.keySet().stream().filter(name -> !outcome.containsKey(name)).toList();
        run(runnable, classes, byClass, outcome);

        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            DocSnippet snippet = snippets.get(i);
            String reason = skipReason(snippet);
            String failure = outcome.get("S" + i);
            tests.add(DynamicTest.dynamicTest(snippet.label(), () -> {
                Assumptions.assumeTrue(reason == null, () -> snippet.where() + ": " + reason);
                if (failure != null) {
                    throw new AssertionError(failure);
                }
            }));
        }
        return tests.stream();
    }

    /** Files under a skipped folder whose examples are compiled all the same (new, and not being rewritten). */
    static final List<String> NOT_SKIPPED = List.of("dev/nncore/keras/ModelBytes.java");

    private static String skipReason(DocSnippet snippet) {
        if (NOT_SKIPPED.contains(snippet.where())) {
            return null;
        }
        return SKIPPED.entrySet().stream().filter(e -> snippet.where().startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Compiles every example; those that do not compile get their errors as their outcome. */
    private static void compile(Map<String, DocSnippet> byClass, Path classes, Map<String, String> outcome)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("the JDK's compiler (javax.tools)").isNotNull();
        Map<String, DocSnippet> toCompile = new LinkedHashMap<>(byClass);
        // javac may write no class at all when one file has errors: compile again without the failed ones
        for (int attempt = 0; attempt < 3 && !toCompile.isEmpty(); attempt++) {
            List<JavaFileObject> sources = new ArrayList<>();
            for (Map.Entry<String, DocSnippet> entry : toCompile.entrySet()) {
                String java;
                try {
                    java = entry.getValue().toJava(entry.getKey());
                } catch (IllegalArgumentException e) {
                    outcome.put(entry.getKey(), e.getMessage());
                    continue;
                }
                sources.add(new Source(entry.getKey(), java));
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            boolean ok;
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
                List<String> options = List.of("-d", classes.toString(), "-classpath", classPath(), "-proc:none",
                        "-nowarn", "-encoding", "UTF-8");
                ok = javac.getTask(new StringWriter(), files, diagnostics, options, null, sources).call();
            }
            if (ok) {
                return;
            }
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR || !(d.getSource() instanceof Source source)) {
                    continue;
                }
                DocSnippet snippet = byClass.get(source.className);
                String message = snippet.where() + ":" + snippet.sourceLine((int) d.getLineNumber())
                        + ": does not compile: " + d.getMessage(Locale.ROOT);
                outcome.merge(source.className, message, (a, b) -> a + "\n" + b);
            }
            toCompile.keySet().removeAll(outcome.keySet());
        }
    }

    /** Runs the compiled examples in order in a JVM whose working directory holds the example files. */
    private static void run(List<String> names, Path classes, Map<String, DocSnippet> byClass, Map<String, String> outcome)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("run"));
        Path resources = PROJECT.resolve("src/test/resources");
        Files.copy(resources.resolve("data/iris-species.csv"), dir.resolve("iris.csv"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(resources.resolve("keras-models/keras3.10.0_xor_mehmetsefabalik.keras"), dir.resolve("model.keras"));
        Files.copy(resources.resolve("keras-models/keras2.2.4-tf_xor_to_json_kdalkafoukis.json"), dir.resolve("model.json"));
        Files.copy(resources.resolve("keras-models/keras2.2.4-tf_xor_saveweights_kdalkafoukis.h5"), dir.resolve("weights.h5"));
        Files.copy(resources.resolve("keras-models/real-wild/rogersaloo_example_wide_deep_multi_io/functional_model.h5"),
                dir.resolve("functional_model.h5"));
        Files.copy(resources.resolve("keras-models/real-wild/malfaro2_dl4j-test-resources_simple_lstm_keras2/"
                + "simple_lstm_tf_keras_2_model.h5"), dir.resolve("lstm.h5"));
        Files.copy(resources.resolve("onnx/pytorch/two_branches_opset13.onnx"), dir.resolve("two_branches.onnx"));
        Onnx.save(Network.builder(4).dense(8, Activation.RELU).dense(3, Activation.SOFTMAX).seed(1).build(),
                dir.resolve("mlp.onnx"));

        List<String> options = new ArrayList<>();
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            options.add("--add-modules=jdk.incubator.vector");
        }
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("nncore."))
                .forEach(k -> options.add("-D" + k + "=" + System.getProperty(k)));
        // the examples' temporary files (Files.createTempDirectory("backup") and the like) land in this test's own
        // folder, which JUnit deletes, rather than piling up in the machine's /tmp
        options.add("-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
        ChildJvm.Result result = ChildJvm.withOptions(options).classPath(classes + File.pathSeparator + classPath()).in(dir)
                .separateErrors().timeout(Duration.ofMinutes(10))
                .run(DocRunner.class, names.stream().map(name -> "docsnippets." + name).toArray(String[]::new));
        List<String> report = result.output().lines().toList();
        List<String> seen = new ArrayList<>();
        for (String line : report) {
            String[] parts = line.split(" ", 4);
            String name = parts[1].substring("docsnippets.".length());
            seen.add(name);
            if (parts[0].equals("FAIL")) {
                DocSnippet snippet = byClass.get(name);
                String message = parts[3].replace("\\n", "\n").replace("\\\\", "\\");
                String checked = AssertionError.class.getName() + ": ";
                outcome.put(name, message.startsWith(checked) ? message.substring(checked.length())
                        : snippet.where() + ":" + snippet.sourceLine(Integer.parseInt(parts[2])) + ": " + message);
            }
        }
        for (String name : names) {
            if (!seen.contains(name)) {
                outcome.put(name, byClass.get(name).label() + ": did not run (runner exit " + result.exitCode() + "): "
                        + result.errors());
            }
        }
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static final class Source extends SimpleJavaFileObject {
        final String className;
        private final String code;

        Source(String className, String code) {
            super(java.net.URI.create("string:///docsnippets/" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.className = className;
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
