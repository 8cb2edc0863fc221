package dev.nncore.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nncore.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small files of issue 16 that asked for a lot of heap, loaded at the <b>default</b> limits in a JVM of their own
 * whose whole heap is the memory model's bound: the file + the bytes really unzipped + (for JSON) the parsed tree's
 * limit + 56 MiB (as in {@link MemoryModelTest}). Each ends in a {@link ModelFormatException} within two seconds.
 * Measured least {@code -Xmx} on JDK 17 with G1 (2 cores), before and after this test's changes:
 * <ul>
 *   <li>a 1.1 MB {@code .keras} whose {@code model.weights.h5} inflates to 1.1 GB, sizes declared truly: refused from
 *       the central directory, under 64 MiB (2.5 GB when entries grew a buffer as they inflated);
 *   <li>the same bomb declaring 128 MiB: that array is filled, then the next byte refuses it, at 137 MiB (at most
 *       {@code nncore.maxUnzippedBytes} however much it declares);
 *   <li>a 1 MiB TF.js shard listed 1024 times: refused at its second listing, under 32 MiB (over 1 GiB before: the
 *       listings were concatenated into one array);
 *   <li>a 15.6 KB {@code .keras} whose {@code config.json} is 15 MiB of {@code {},{},...}: refused once its parsed form
 *       passes 4 x {@code nncore.maxJsonBytes} (64 MiB, estimated), at 93 MiB (786 MiB before).
 * </ul>
 */
class HostilePeaksTest {

    private static final long MIB = 1 << 20;
    private static final Pattern REFUSED = Pattern.compile("refused in (\\d+) ms: (.*)\\n", Pattern.DOTALL);

    @TempDir
    Path temp;

    /** Loads {@code file} in a JVM of {@code heapMib}; returns the refusal's message, having checked its time. */
    private static String refusedInSmallJvm(long heapMib, Path file) {
        ChildJvm.Result refuse = ChildJvm.withOptions("-Xmx" + heapMib + "m").timeout(Duration.ofSeconds(60))
                .run(HeapProbe.class, "refuse", file.toString());
        String output = refuse.output();
        assertThat(refuse.exitCode()).as("load in -Xmx%dm: %s", heapMib, output).isZero();
        Matcher matcher = REFUSED.matcher(output);
        assertThat(matcher.matches()).as(output).isTrue();
        assertThat(Long.parseLong(matcher.group(1))).as(output).isLessThan(2000);
        return matcher.group(2);
    }

    private static long mib(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }

    @Test
    void aZipBombEndsWithinTheFileAndWhatItReallyUnzipped() throws Exception {
        Path bomb = temp.resolve("bomb.keras");
        Files.write(bomb, HostileBuilds.zipBomb(1100, -1));
        assertThat(Files.size(bomb)).isLessThan(1_200_000);
        assertThat(refusedInSmallJvm(mib(Files.size(bomb)) + 56, bomb))
                .isEqualTo("bomb.keras: zip entry \"model.weights.h5\" unpacks past the limit of 1073741824 bytes (raise it"
                        + " with -Dnncore.maxUnzippedBytes)");

        Path lie = temp.resolve("lie.keras");
        Files.write(lie, HostileBuilds.zipBomb(1100, 128 * MIB));
        assertThat(refusedInSmallJvm(mib(Files.size(lie)) + 128 + 56, lie))
                .isEqualTo("lie.keras: zip entry \"model.weights.h5\" unpacks to more than 134217728 bytes, but the central"
                        + " directory says 134217728"); // counted before the 128 MiB array is made
    }

    @Test
    void aShardListedOverAndOverEndsWithinTheFilesReallyThere() throws Exception {
        Path web = temp.resolve("web");
        HostileBuilds.repeatedShard(web, 1, 1024);
        long bytes = Files.size(web.resolve("model.json")) + Files.size(web.resolve("w.bin"));
        assertThat(refusedInSmallJvm(mib(bytes) + 56, web.resolve("model.json")))
                .isEqualTo("model.json at weightsManifest[0].paths[1]: shard \"w.bin\" is listed a second time; each shard"
                        + " of a model holds its own bytes");
    }

    @Test
    void aSmallConfigOfHugeJsonEndsWithinTheParsedTreesLimit() throws Exception {
        Path config = temp.resolve("config.keras");
        Files.write(config, HostileBuilds.bigConfig(15 * (int) MIB));
        assertThat(Files.size(config)).isLessThan(16_000);
        long tree = 4 * Limits.DEFAULTS.maxJsonBytes();
        assertThat(refusedInSmallJvm(mib(Files.size(config)) + 15 + mib(tree) + 56, config))
                .startsWith("config.keras config.json: JSON at offset ")
                .endsWith("the parsed document would take more than 67108864 bytes of memory");
    }
}
