package dev.nncore.keras;

import dev.nncore.Activation;
import dev.nncore.Network;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link MemoryModelTest}: {@code write FILE FORMAT INPUTS UNITS} (FORMAT keras, npz, npy or tfjs) saves a network with
 * one Dense layer of that kernel; {@code load FILE} loads it at the default limits and prints the parameter count;
 * {@code refuse FILE} expects the load to end in a {@link ModelFormatException} and prints its time and message.
 */
final class HeapProbe {

    private HeapProbe() {
    }

    /** The network's weights as an {@code .npy} file of its arrays one after another, as {@code np.save} writes them. */
    static byte[] npy(Network network) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (var layer : network.layers()) {
            for (int i = 0; i < layer.getWeights().size(); i++) {
                long[] shape = java.util.Arrays.stream(layer.weightShape(i)).asLongStream().toArray();
                out.writeBytes(Numpy.npy(shape, Keras.flatten(layer.getWeights().get(i))));
            }
        }
        return out.toByteArray();
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            Network network = Network.builder(Integer.parseInt(args[3]))
                    .dense(Integer.parseInt(args[4]), Activation.LINEAR).seed(1).build();
            switch (args[2]) {
                case "keras" -> Keras.save(network, file);
                case "npz" -> Keras.saveNpz(network, file);
                case "npy" -> Files.write(file, npy(network));
                default -> Keras.saveTfjs(network, file.getParent());
            }
            return;
        }
        if (args[0].equals("refuse")) {
            long start = System.nanoTime();
            try {
                Keras.load(file);
            } catch (ModelFormatException e) {
                System.out.println("refused in " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
                return;
            }
            System.out.println("loaded");
            System.exit(2);
        }
        Network network = args.length > 2 ? Keras.loadWeights(file, Network.builder(Integer.parseInt(args[2]))
                .dense(Integer.parseInt(args[3]), Activation.LINEAR).build()) : Keras.load(file);
        System.out.println(network.parameterCount() + " " + Files.size(file));
    }
}
