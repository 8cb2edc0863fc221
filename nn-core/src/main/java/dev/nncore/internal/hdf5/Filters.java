package dev.nncore.internal.hdf5;

import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a chunk's filter pipeline (spec IV.A.2.l), last filter first: deflate (1), shuffle (2) and
 * fletcher32 (3). Inflation is bounded by the chunk's declared size, so a deflate bomb fails fast.
 */
final class Filters {
    private Filters() {
    }

    static void checkSupported(List<Messages.Filter> filters, String path) throws Hdf5FormatException {
        for (Messages.Filter f : filters) {
            if (f.id() != Messages.Filter.DEFLATE && f.id() != Messages.Filter.SHUFFLE
                    && f.id() != Messages.Filter.FLETCHER32) {
                throw new Hdf5FormatException("dataset " + path + " uses " + f.describe()
                        + ", which is not supported (only deflate, shuffle and fletcher32 are)");
            }
        }
    }

    /** Decodes one stored chunk into exactly {@code chunkBytes} bytes. */
    static byte[] decode(byte[] stored, List<Messages.Filter> filters, long filterMask, int chunkBytes, String where)
            throws Hdf5FormatException {
        byte[] data = stored;
        for (int i = filters.size() - 1; i >= 0; i--) {
            if ((filterMask & (1L << i)) != 0) {
                continue; // this filter was skipped when the chunk was written
            }
            Messages.Filter f = filters.get(i);
            data = switch (f.id()) {
                case Messages.Filter.DEFLATE -> inflate(data, chunkBytes + 8, where);
                case Messages.Filter.SHUFFLE -> unshuffle(data, f.clientData().length > 0 ? f.clientData()[0] : 1);
                case Messages.Filter.FLETCHER32 -> stripFletcher32(data, where);
                default -> throw new Hdf5FormatException(where + ": " + f.describe() + " is not supported");
            };
        }
        if (data.length != chunkBytes) {
            throw new Hdf5FormatException(where + ": chunk decodes to " + data.length + " bytes, expected " + chunkBytes);
        }
        return data;
    }

    private static byte[] inflate(byte[] input, int limit, String where) throws Hdf5FormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input);
            byte[] out = new byte[limit];
            int length = 0;
            int stalls = 0;
            while (!inflater.finished()) {
                if (length == limit) {
                    throw new Hdf5FormatException(where + ": deflate data expands beyond the chunk size ("
                            + limit + " bytes)");
                }
                int n = inflater.inflate(out, length, limit - length);
                length += n;
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary() || ++stalls > 16) {
                        throw new Hdf5FormatException(where + ": truncated or invalid deflate data");
                    }
                }
            }
            return java.util.Arrays.copyOf(out, length);
        } catch (DataFormatException e) {
            throw new Hdf5FormatException(where + ": invalid deflate data (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static byte[] unshuffle(byte[] in, int elementSize) {
        if (elementSize <= 1 || in.length < elementSize) {
            return in;
        }
        byte[] out = new byte[in.length];
        int count = in.length / elementSize;
        for (int b = 0; b < elementSize; b++) {
            for (int i = 0; i < count; i++) {
                out[i * elementSize + b] = in[b * count + i];
            }
        }
        int tail = count * elementSize;
        System.arraycopy(in, tail, out, tail, in.length - tail);
        return out;
    }

    private static byte[] stripFletcher32(byte[] in, String where) throws Hdf5FormatException {
        if (in.length < 4) {
            throw new Hdf5FormatException(where + ": chunk too short for its fletcher32 checksum");
        }
        int n = in.length - 4;
        long stored = (in[n] & 0xFFL) | (in[n + 1] & 0xFFL) << 8 | (in[n + 2] & 0xFFL) << 16 | (in[n + 3] & 0xFFL) << 24;
        long computed = fletcher32(in, n);
        long swapped = Long.reverseBytes(computed) >>> 32;
        if (stored != computed && stored != swapped) {
            throw new Hdf5FormatException(where + ": fletcher32 checksum mismatch");
        }
        return java.util.Arrays.copyOf(in, n);
    }

    /** HDF5's Fletcher-32 over big-endian 16-bit words, reduced every 360 words. */
    static long fletcher32(byte[] data, int length) {
        long sum1 = 0;
        long sum2 = 0;
        int words = length / 2;
        int p = 0;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (int i = 0; i < block; i++) {
                sum1 += (data[p] & 0xFF) << 8 | (data[p + 1] & 0xFF);
                p += 2;
                sum2 += sum1;
            }
            sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        }
        if (length % 2 != 0) {
            sum1 += (data[p] & 0xFF) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        return (sum2 << 16 | sum1) & 0xFFFFFFFFL;
    }
}
