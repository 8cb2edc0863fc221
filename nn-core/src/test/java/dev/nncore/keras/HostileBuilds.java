package dev.nncore.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The hostile files issue 16 measured, built in a second: {@link HostilePeaksTest} loads them at the default limits
 * in a small heap. {@code java ... dev.nncore.keras.HostileBuilds bomb|lie|shards|json OUT} writes one (for
 * measuring by hand; {@code shards} writes {@code OUT/model.json} and {@code OUT/w.bin}).
 */
final class HostileBuilds {

    private static final int MIB = 1 << 20;
    private static final byte[] SMALL_CONFIG = ("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\":"
            + " \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 2, \"batch_input_shape\": [null, 2]}}]}}")
            .getBytes(StandardCharsets.UTF_8);

    private HostileBuilds() {
    }

    /**
     * A {@code .keras} whose {@code model.weights.h5} deflates {@code mebibytes} MiB of zeros into about 1 KB per MiB
     * (one raw deflate block per MiB, each after a full flush, so one block repeated is a valid stream), with its
     * real size in both headers unless {@code declaredSize} says otherwise (a lie).
     */
    static byte[] zipBomb(int mebibytes, long declaredSize) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[MIB];
        byte[] buffer = new byte[64 * 1024];
        deflater.setInput(zeros);
        int block = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
        byte[] one = java.util.Arrays.copyOf(buffer, block);
        deflater.finish();
        int tail = deflater.deflate(buffer);
        deflater.end();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < mebibytes; i++) {
            data.writeBytes(one);
        }
        data.write(buffer, 0, tail);
        CRC32 crc = new CRC32();
        for (int i = 0; i < mebibytes; i++) {
            crc.update(zeros);
        }
        List<Entry> entries = List.of(new Entry("config.json", 0, SMALL_CONFIG, crc(SMALL_CONFIG), SMALL_CONFIG.length),
                new Entry("model.weights.h5", 8, data.toByteArray(), crc.getValue(),
                        declaredSize >= 0 ? declaredSize : (long) mebibytes * MIB));
        return zip(entries);
    }

    /**
     * A {@code .keras} whose {@code model.weights.h5} is {@code mebibytes} MiB of random bytes in deflate's stored
     * blocks (so the compressed size is about the real one), its size in both headers {@code declaredSize} (a lie that
     * the compressed size makes plausible).
     */
    static byte[] overstated(int mebibytes, long declaredSize) {
        byte[] random = new byte[mebibytes * MIB];
        new java.util.Random(1).nextBytes(random);
        Deflater deflater = new Deflater(Deflater.NO_COMPRESSION, true);
        deflater.setInput(random);
        deflater.finish();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            data.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return zip(List.of(new Entry("config.json", 0, SMALL_CONFIG, crc(SMALL_CONFIG), SMALL_CONFIG.length),
                new Entry("model.weights.h5", 8, data.toByteArray(), crc(random), declaredSize)));
    }

    /** A {@code .keras} whose {@code config.json} deflates {@code bytes} of JSON: a Sequential of {@code {}} layers. */
    static byte[] bigConfig(int bytes) throws IOException {
        StringBuilder json = new StringBuilder(bytes + 64).append("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
        while (json.length() < bytes - 4) {
            json.append("{},");
        }
        byte[] config = json.append("{}]}}").toString().getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(config);
        deflater.finish();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            data.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] weights = {1, 2, 3};
        return zip(List.of(new Entry("config.json", 8, data.toByteArray(), crc(config), config.length),
                new Entry("model.weights.h5", 0, weights, crc(weights), weights.length)));
    }

    /**
     * A TF.js model whose manifest lists one shard of {@code shardMib} MiB {@code times} times, for one Dense kernel
     * of all those bytes.
     */
    static void repeatedShard(Path directory, int shardMib, int times) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve("w.bin"), new byte[shardMib * MIB]);
        long floats = (long) shardMib * MIB / 4 * times;
        long side = (long) Math.sqrt((double) floats);
        String paths = String.join(", ", Collections.nCopies(times, "\"w.bin\""));
        String json = "{\"format\": \"layers-model\", \"modelTopology\": {\"class_name\": \"Sequential\", \"config\": {\"layers\":"
                + " [{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": " + side + ", \"use_bias\": false,"
                + " \"batch_input_shape\": [null, " + floats / side + "]}}]}}, \"weightsManifest\": [{\"paths\": [" + paths
                + "], \"weights\": [{\"name\": \"dense/kernel\", \"shape\": [" + floats / side + ", " + side + "],"
                + " \"dtype\": \"float32\"}]}]}";
        Files.writeString(directory.resolve("model.json"), json);
    }

    private record Entry(String name, int method, byte[] data, long crc, long size) {
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** A zip of {@code entries} as Python's zipfile writes one: local headers with the sizes, no data descriptors. */
    private static byte[] zip(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        for (Entry entry : entries) {
            offsets.add(out.size());
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer header = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) entry.method())
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) entry.crc()).putInt(entry.data().length)
                    .putInt((int) entry.size()).putShort((short) name.length).putShort((short) 0);
            out.writeBytes(header.array());
            out.writeBytes(name);
            out.writeBytes(entry.data());
        }
        int directory = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer header = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                    .putShort((short) entry.method()).putShort((short) 0).putShort((short) 0x21).putInt((int) entry.crc())
                    .putInt(entry.data().length).putInt((int) entry.size()).putShort((short) name.length)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(offsets.get(i));
            out.writeBytes(header.array());
            out.writeBytes(name);
        }
        int size = out.size() - directory;
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(size).putInt(directory).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[1]);
        switch (args[0]) {
            case "bomb" -> Files.write(out, zipBomb(1100, -1));
            case "lie" -> Files.write(out, zipBomb(1100, Long.parseLong(args[2])));
            case "json" -> Files.write(out, bigConfig(15 * MIB));
            default -> repeatedShard(out, 1, 1024);
        }
    }
}
