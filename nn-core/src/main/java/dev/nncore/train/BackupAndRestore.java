package dev.nncore.train;

import dev.nncore.internal.Checks;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Resumes an interrupted fit where it stopped, Keras's {@code BackupAndRestore} callback: after every epoch it writes
 * the fit's state to a directory, and a fit that starts with a backup there continues after its last completed epoch.
 * The state is everything the rest of the fit depends on: every weight (moving statistics too), the optimizer's slots,
 * step count and learning rate (as a {@link ReduceLROnPlateau} left it), how far the shuffled data had been read and
 * the layers' random draws (Dropout, noise). So with a seed, a fit killed and resumed ends with the same weights, bit
 * for bit, as one never interrupted. Without a seed the resumed fit shuffles afresh, as Keras's does.
 *
 * <pre>{@code
 * Path dir = Files.createTempDirectory("backup");
 * BackpropTrainer trainer = BackpropTrainer.builder().loss(Loss.MEAN_SQUARED_ERROR).epochs(10).seed(7)
 *         .listener(BackupAndRestore.to(dir))
 *         .build();
 * // if this fit is killed at epoch 6, the same call again runs epochs 7 to 10 only
 * TrainingResult result = trainer.fit(Network.builder(1).dense(1, Activation.LINEAR).seed(1).build(),
 *         Matrix.column(1, 2, 3), Matrix.column(2, 4, 6));
 * }</pre>
 *
 * <p>The backup is one file, {@code backup.bin}, written to a temporary file in the directory and moved over the old
 * one atomically, so a crash while writing leaves the previous epoch's backup. When the fit ends normally the backup
 * is deleted, as Keras's {@code delete_checkpoint=True} does (keep it with {@link #keep}). The history of a resumed
 * fit holds only the epochs it ran, as in Keras. A backup made by a different architecture or optimizer is refused
 * with the mismatch named (the optimizer by its class, the weights and slots by their shapes). Holds no state of its own between calls; one directory per concurrent fit.
 *
 * @since 0.2.0
 */
public final class BackupAndRestore implements TrainingListener {

    private static final int MAGIC = 0x4E4E4252;   // "NNBR"
    private static final int VERSION = 1;
    private static final String FILE = "backup.bin";

    private final Path directory;
    private final boolean deleteAtEnd;

    private BackupAndRestore(Path directory, boolean deleteAtEnd) {
        this.directory = Checks.notNull(directory, "directory");
        this.deleteAtEnd = deleteAtEnd;
    }

    /**
     * @param directory where to keep the backup; created if missing
     * @return the callback, deleting its backup when a fit ends normally
     */
    public static BackupAndRestore to(Path directory) {
        return new BackupAndRestore(directory, true);
    }

    /** @return a copy that keeps the backup of the last epoch when the fit ends (Keras's {@code delete_checkpoint=False}) */
    public BackupAndRestore keep() {
        return new BackupAndRestore(directory, false);
    }

    /** @return the backup file, {@code directory/backup.bin} */
    public Path file() {
        return directory.resolve(FILE);
    }

    @Override
    public void onTrainEnd(TrainingRun run) {
        if (deleteAtEnd) {
            try {
                Files.deleteIfExists(file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the backup " + file(), e);
            }
        }
    }

    /** Called by the loop before the first epoch: puts back a saved state. @return the epoch to start from */
    int restore(TrainingState state, Settings settings) {
        Path file = file();
        if (!Files.exists(file)) {
            return 0;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalStateException(file + " is not an nn-core backup (version " + VERSION + ")");
            }
            String optimizer = in.readUTF();
            // the class name only: a lambda schedule or rule prints differently in every JVM; the slots' shapes are
            // checked below
            if (!optimizer.equals(settings.optimizer().kerasClassName())) {
                throw new IllegalStateException("the backup " + file + " was made with " + optimizer + ", not "
                        + settings.optimizer().kerasClassName() + "; delete it or use another directory");
            }
            int completed = in.readInt();
            long iterations = in.readLong();
            double rate = in.readDouble();
            int starts = in.readInt();
            int position = in.readInt();
            boolean inProgress = in.readBoolean();
            // in the network's order whatever the run's layout (a fit cut by units on two threads resumes on one)
            List<float[][]> weights = state.networkWeights();
            List<float[][]> slots = state.networkSlots();
            readTensors(in, weights, "weight", file);
            readTensors(in, slots, "optimizer slot", file);
            state.loadNetworkOrder(weights, slots);
            double[] scalars = state.optimizer.scalars();
            int scalarCount = in.readInt();
            if (scalarCount != scalars.length) {
                throw mismatch(file, "optimizer scalars", scalarCount, scalars.length);
            }
            for (int i = 0; i < scalars.length; i++) {
                scalars[i] = in.readDouble();
            }
            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                byte op = in.readByte();
                double a = in.readDouble();
                double b = in.readDouble();
                long count = in.readLong();
                if (state.layers != null) {
                    state.layers.replay(op, a, b, count);
                }
            }
            state.optimizer.restore(iterations, rate);
            if (settings.seed() != null) {
                state.replayData(starts, position, inProgress);
            }
            state.completedEpoch(completed);
            return completed + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup " + file, e);
        }
    }

    /** Called by the loop after each epoch's listeners. */
    void save(TrainingState state, Settings settings) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, FILE, ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
                    out.writeInt(MAGIC);
                    out.writeInt(VERSION);
                    out.writeUTF(settings.optimizer().kerasClassName());
                    out.writeInt(state.completedEpoch());
                    out.writeLong(state.optimizer.iterations());
                    out.writeDouble(state.optimizer.fixedRate());
                    out.writeInt(state.dataStarts());
                    out.writeInt(state.dataPosition());
                    out.writeBoolean(state.dataInProgress());
                    writeTensors(out, state.networkWeights());
                    writeTensors(out, state.networkSlots());
                    double[] scalars = state.optimizer.scalars();
                    out.writeInt(scalars.length);
                    for (double scalar : scalars) {
                        out.writeDouble(scalar);
                    }
                    ReplayableRandom layers = state.layers;
                    int entries = layers == null ? 0 : layers.entries();
                    out.writeInt(entries);
                    for (int i = 0; i < entries; i++) {
                        out.writeByte(layers.op(i));
                        out.writeDouble(layers.first(i));
                        out.writeDouble(layers.second(i));
                        out.writeLong(layers.count(i));
                    }
                }
                try {
                    Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + file(), e);
        }
    }

    private static void writeTensors(DataOutputStream out, List<float[][]> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (float[][] tensor : tensors) {
            out.writeInt(tensor.length);
            out.writeInt(tensor.length == 0 ? 0 : tensor[0].length);
            for (float[] row : tensor) {
                for (float value : row) {
                    out.writeInt(Float.floatToRawIntBits(value));
                }
            }
        }
    }

    private static void readTensors(DataInputStream in, List<float[][]> tensors, String what, Path file)
            throws IOException {
        int count = in.readInt();
        if (count != tensors.size()) {
            throw mismatch(file, what + "s", count, tensors.size());
        }
        for (int t = 0; t < count; t++) {
            float[][] tensor = tensors.get(t);
            int rows = in.readInt();
            int columns = in.readInt();
            int expectedColumns = tensor.length == 0 ? 0 : tensor[0].length;
            if (rows != tensor.length || columns != expectedColumns) {
                throw new IllegalStateException("the backup " + file + " has " + what + " " + t + " of shape [" + rows
                        + "][" + columns + "], this fit [" + tensor.length + "][" + expectedColumns
                        + "]; it was made by another network: delete it or use another directory");
            }
            for (float[] row : tensor) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = Float.intBitsToFloat(in.readInt());
                }
            }
        }
    }

    private static IllegalStateException mismatch(Path file, String what, int saved, int expected) {
        return new IllegalStateException("the backup " + file + " has " + saved + " " + what + ", this fit " + expected
                + "; it was made by another network or optimizer: delete it or use another directory");
    }

    /** @return e.g. {@code BackupAndRestore[/tmp/run1]} */
    @Override
    public String toString() {
        return "BackupAndRestore[" + directory + (deleteAtEnd ? "" : ", keep") + "]";
    }

}
