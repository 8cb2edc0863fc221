package dev.nncore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java -jar} in README.md, nn-benchmarks/MEASUREMENTS.md, .ci/run and the usage text names the file the
 * build makes: the POM's {@code finalName} (the artifactId) plus {@code .jar}, in {@code nn-core/target}.
 */
class JarNameTest {

    private static final Pattern JAR = Pattern.compile("-jar\\s+\"?([^\\s\"`]+\\.jar)");

    @Test
    void theBuildNamesTheJarNnCoreJar() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).contains("<artifactId>nn-core</artifactId>").contains("<finalName>${project.artifactId}</finalName>");
    }

    @Test
    void readmeCiAndUsageRunTheJarTheBuildMakes() throws Exception {
        List<String> jars = new ArrayList<>();
        for (Path file : List.of(Path.of("../README.md"), Path.of("../nn-benchmarks/MEASUREMENTS.md"),
                Path.of("../.ci/run"))) {
            Matcher matcher = JAR.matcher(Files.readString(file));
            while (matcher.find()) {
                jars.add(matcher.group(1).replace("$OLDPWD/", ""));
            }
        }
        assertThat(jars).as("java -jar commands found").hasSizeGreaterThan(5);
        assertThat(jars).allSatisfy(jar -> assertThat(jar).isIn("nn-core/target/nn-core.jar",
                "nn-benchmarks/target/benchmarks.jar", "/tmp/before/nn-benchmarks/target/benchmarks.jar"));
        assertThat(Main.usage()).startsWith("Usage: java -jar nn-core.jar ");
        assertThat(Main.shortUsage()).startsWith("Usage: java -jar nn-core.jar ");
    }
}
