package dev.nncore;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Javadoc examples of {@link Loss}, {@link Initializer}, {@link Regularizer}, {@link Constraint} and {@link Dense},
 * and README.md's "Losses, initializers, regularizers and constraints" example, read out of the files themselves, compiled with {@code javax.tools} and run (those whose comment names an
 * exception are compiled only): a stale example fails the build.
 */
class TrainingOptionsExamplesTest {

    private static final String IMPORTS = "import dev.nncore.*; import dev.nncore.math.*; import dev.nncore.train.*;"
            + " import java.util.*;\n";
    private static final List<String> FILES = List.of("Loss.java", "Initializer.java", "Regularizer.java", "Constraint.java",
            "Dense.java");

    @TempDir
    Path folder;

    @Test
    void everyExampleCompilesAndRuns() throws Exception {
        List<String> examples = new ArrayList<>();
        for (String file : FILES) {
            String text = Files.readString(Path.of("src/main/java/dev/nncore", file));
            Matcher m = Pattern.compile("<pre>\\{@code\\n(.*?)\\n\\s*\\*\\s*\\}</pre>", Pattern.DOTALL).matcher(text);
            while (m.find()) {
                examples.add(m.group(1).replaceAll("(?m)^\\s*\\* ?", ""));
            }
        }
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("### Losses, initializers, regularizers and constraints"),
                readme.indexOf("## Keras and TensorFlow.js files"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(26);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Path source = folder.resolve("Example" + i + ".java");
            Files.writeString(source, IMPORTS + "public class Example" + i + " {\n public static void run() throws Exception {\n"
                    + examples.get(i) + "\n }\n}\n", StandardCharsets.UTF_8);
            sources.add(source.toString());
        }
        // javax.tools by reflection: the tests are compiled into module dev.nncore, which does not read java.compiler
        Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler").invoke(null);
        Method compile = Class.forName("javax.tools.Tool").getMethod("run", java.io.InputStream.class,
                java.io.OutputStream.class, java.io.OutputStream.class, String[].class);
        List<String> args = new ArrayList<>(List.of("-d", folder.toString(), "-classpath", classpath(), "-proc:none"));
        args.addAll(sources);
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int status = (Integer) compile.invoke(compiler, null, null, errors, args.toArray(String[]::new));
        assertThat(status).as("compiling the examples:\n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
        int ran = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, getClass().getClassLoader())) {
            for (int i = 0; i < examples.size(); i++) {
                if (examples.get(i).contains("Exception")) {
                    continue;
                }
                loader.loadClass("Example" + i).getMethod("run").invoke(null);
                ran++;
            }
        }
        assertThat(ran).isGreaterThanOrEqualTo(20);
    }

    private static String classpath() {
        String path = System.getProperty("java.class.path", "");
        String modules = System.getProperty("jdk.module.path", "");
        return modules.isEmpty() ? path : path + java.io.File.pathSeparator + modules;
    }
}
