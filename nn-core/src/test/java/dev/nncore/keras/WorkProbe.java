package dev.nncore.keras;

import dev.nncore.Activation;
import dev.nncore.Network;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Measures the largest work files at the default limits cause, for SECURITY.md: each case's time (a first, cold run
 * and a second) and the heap's peak (the most used heap a thread sampling every millisecond saw, after a
 * collection: an estimate from below). Run from nn-core after
 * {@code mvn test-compile}, with the HDF5 files of {@code hostile/make_work.py} in DIR:
 * {@code java -Xmx3g -cp target/classes:target/test-classes dev.nncore.keras.WorkProbe DIR}.
 */
final class WorkProbe {

    private static final int MIB = 1 << 20;

    private WorkProbe() {
    }

    @FunctionalInterface
    private interface Work {
        String run() throws Exception;
    }

    private static void measure(String what, long fileBytes, Work work) throws Exception {
        StringBuilder line = new StringBuilder(String.format("%-58s %11d bytes", what, fileBytes));
        String outcome = "";
        for (int run = 0; run < 2; run++) {
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            java.util.concurrent.atomic.AtomicLong most = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sampler = new Thread(() -> {
                while (!done.get()) {
                    most.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            long start = System.nanoTime();
            try {
                outcome = work.run();
            } catch (ModelFormatException e) {
                outcome = "refused: " + e.getMessage();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            done.set(true);
            sampler.join();
            long peak = most.get();
            line.append(String.format("  %6d ms %6d MiB", millis, peak / MIB));
        }
        System.out.println(line + "  " + (outcome.length() > 110 ? outcome.substring(0, 110) + "..." : outcome));
    }

    private static Network dense(int inputs, int units) {
        return Network.builder(inputs).dense(units, Activation.LINEAR).build();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (String name : new String[] {"chunks_btree.weights.h5", "chunks_fixed_array.weights.h5"}) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                measure(name + ": 1,048,576 chunks, loadWeights", Files.size(file),
                        () -> Keras.loadWeights(file, dense(1024, 1024)).parameterCount() + " parameters loaded");
            }
        }
        Path large = dir.resolve("chunks_btree_18.weights.h5");
        if (Files.exists(large)) { // make_work.py DIR large: the file size limit filled with chunk indexes
            Network.Builder builder = Network.builder(1024);
            for (int i = 0; i < 18; i++) {
                builder.dense(1024, Activation.LINEAR);
            }
            Network network = builder.build();
            measure("chunks_btree_18.weights.h5: 18 x 1,048,576 chunks, loadWeights", Files.size(large),
                    () -> Keras.loadWeights(large, network).parameterCount() + " parameters loaded");
        }
        Path capped = dir.resolve("links_capped.h5");
        if (Files.exists(capped)) {
            measure("links_capped.h5: 262,145 links in one group", Files.size(capped),
                    () -> Keras.loadWeights(capped, dense(2, 2)).toString());
        }
        byte[] links = HostileWorkTest.manyLayerNames(8_000);
        measure("legacy .h5: layer_names of 8,000 paths into one group of 8,000", links.length,
                () -> Keras.loadWeights(links, "links.h5", dense(2, 2)).toString());
        byte[] maps = HostileBuilds.bigConfig(16 * MIB - 64);
        measure(".keras: config.json of 16 MiB of {},{},...", maps.length,
                () -> Keras.load(maps, "maps.keras", null).toString());
        StringBuilder numbers = new StringBuilder("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
        while (numbers.length() < 16 * MIB - 64) {
            numbers.append("1000,");
        }
        byte[] numbersJson = numbers.append("1]}}").toString().getBytes(StandardCharsets.UTF_8);
        measure("JSON file: 16 MiB of 1000,1000,... (parses to 4 x 16 MiB)", numbersJson.length,
                () -> Keras.load(numbersJson, "numbers.json", null).toString());
        byte[] zip = HostileBuilds.zipBomb(1023, -1);
        measure(".keras: an entry inflating to 1023 MiB (under the limit)", zip.length,
                () -> Keras.load(zip, "big.keras", null).toString());
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(entries)) {
            for (int i = 0; i < 10_000; i++) {
                out.putNextEntry(new ZipEntry("arr_" + i + ".npy"));
                out.write(Numpy.npy(new long[] {1}, new float[] {i}));
                out.closeEntry();
            }
        }
        byte[] npz = entries.toByteArray();
        measure(".npz: 10,000 entries (the limit)", npz.length,
                () -> Keras.loadWeights(npz, "many.npz", dense(2, 2)).toString());
    }
}
