package dev.nncore.keras;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads every entry of a zip file into memory, counting the bytes actually inflated against
 * {@link Limits#maxUnzippedBytes()}, whatever sizes the headers declare, so a zip bomb ends in an exception.
 *
 * <p>The entries are read through their local headers ({@link ZipInputStream}); Python's {@code zipfile}, which Keras
 * and numpy use, reads the central directory at the end instead. So that both see the same files, the central
 * directory is read too and must agree: its entries laid out back to back from offset 0 in its order, each pointing at
 * a local header of the same name, with the same compression method, CRC-32 and size as what was inflated, and the
 * directory itself right after the last entry. A zip with data before its first entry, entries the directory does not
 * list (or lists twice), or ZIP64 directories is refused.
 */
final class ZipEntries {

    private ZipEntries() {
    }

    /** Entry name to contents, in the order the archive stores them. */
    static Map<String, byte[]> read(byte[] zip, String source) throws ModelFormatException {
        Limits limits = Limits.current();
        List<CentralEntry> directory = centralDirectory(zip, source);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        int count = 0;
        byte[] buffer = new byte[1];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++count > limits.maxZipEntries()) { // directories count too: each costs a header to parse
                    throw new ModelFormatException(source + ": more than " + limits.maxZipEntries()
                            + " zip entries (raise the limit with -Dnncore.maxZipEntries)");
                }
                CentralEntry listed = count <= directory.size() ? directory.get(count - 1) : null;
                if (listed == null || !listed.name().equals(entry.getName())) {
                    throw new ModelFormatException(source + ": zip entry " + count + " is \"" + entry.getName() + "\" in its"
                            + " local header but " + (listed == null ? "not in the central directory"
                            : "\"" + listed.name() + "\" in the central directory") + ", so Python's zipfile would read"
                            + " other files; refusing an ambiguous zip");
                }
                if (listed.method() != entry.getMethod()) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" has compression method "
                            + entry.getMethod() + " in its local header and " + listed.method() + " in the central directory");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                // the central directory's size, once it is plausible, sizes one array: no doubling buffer and copy
                long declared = listed.size();
                if (declared > limits.maxUnzippedBytes() - total) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks past the limit of "
                            + limits.maxUnzippedBytes() + " bytes (raise it with -Dnncore.maxUnzippedBytes)");
                }
                if (declared > Limits.MAX_ARRAY_BYTES) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks to more than "
                            + Limits.MAX_ARRAY_BYTES + " bytes, more than one Java array holds");
                }
                if (declared > listed.compressed() * 1100 + 65_536) { // deflate expands at most about 1032 times
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" declares " + declared
                            + " bytes from " + listed.compressed() + " compressed bytes, more than deflate can produce");
                }
                if (declared > COUNT_FIRST && listed.method() == java.util.zip.ZipEntry.DEFLATED) {
                    long inflated = inflatedSize(zip, listed, declared + 1);
                    if (inflated != declared) {
                        throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" "
                                + (inflated < 0 ? "is not a valid deflate stream" : "unpacks to "
                                + (inflated > declared ? "more than " + declared : String.valueOf(inflated)) + " bytes")
                                + ", but the central directory says " + declared);
                    }
                }
                byte[] out = new byte[(int) declared];
                int filled = 0;
                while (filled < out.length) {
                    int read = in.read(out, filled, out.length - filled);
                    if (read < 0) {
                        break;
                    }
                    filled += read;
                }
                if (filled == out.length && in.read(buffer, 0, 1) > 0) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks to more than the "
                            + declared + " bytes the central directory says");
                }
                total += filled;
                if (filled != declared || entry.getCrc() != listed.crc()) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks to " + filled
                            + " bytes with CRC-32 " + Long.toHexString(entry.getCrc()) + ", but the central directory says "
                            + listed.size() + " bytes with CRC-32 " + Long.toHexString(listed.crc()));
                }
                if (entries.put(entry.getName(), out) != null) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" appears twice");
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            // ZipException, EOFException; IllegalArgumentException from an entry name that is not valid UTF-8
            throw new ModelFormatException(source + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
        if (count != directory.size()) {
            throw new ModelFormatException(source + ": the central directory lists " + directory.size() + " zip entries,"
                    + " the local headers " + count);
        }
        if (entries.isEmpty()) {
            throw new ModelFormatException(source + ": the zip archive has no entries");
        }
        return entries;
    }

    /**
     * Above this size a deflated entry is inflated once without keeping the bytes, to check its size before an array
     * of the declared size is made: an entry that declares a gigabyte but inflates to a kilobyte then costs CPU, not a
     * gigabyte of heap.
     */
    private static final long COUNT_FIRST = 1 << 20;

    /** The size a raw deflate stream inflates to, counting at most {@code limit} bytes; -1 if the stream is broken. */
    private static long inflatedSize(byte[] zip, CentralEntry entry, long limit) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try {
            // one byte more than the entry, which raw inflate may need to see its end (the zip always has more)
            inflater.setInput(zip, (int) entry.data(), (int) Math.min(entry.compressed() + 1, zip.length - entry.data()));
            byte[] scratch = new byte[64 * 1024];
            long total = 0;
            while (!inflater.finished() && total < limit) {
                int n = inflater.inflate(scratch);
                if (n == 0 && !inflater.finished()) {
                    return -1; // needs input or a dictionary it will never get
                }
                total += n;
            }
            return total;
        } catch (java.util.zip.DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
    }

    /** One central directory record: what Python's zipfile reads; {@code data} is where its bytes start. */
    private record CentralEntry(String name, int method, long crc, long compressed, long size, long data) {
    }

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;

    /**
     * The central directory, checked against the layout of the local headers: every listed entry must start where
     * the previous one ends (data descriptors included), the first at offset 0, the directory right after the last.
     */
    private static List<CentralEntry> centralDirectory(byte[] zip, String source) throws ModelFormatException {
        ByteBuffer bytes = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = -1;
        // as Python's zipfile: the record without a comment at the very end, else the last signature in the final 64 KiB
        if (zip.length >= 22 && bytes.getInt(zip.length - 22) == EOCD_SIGNATURE) {
            end = zip.length - 22;
        } else {
            for (int at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
                if (bytes.getInt(at) == EOCD_SIGNATURE) {
                    end = at;
                    break;
                }
            }
        }
        if (end < 0) {
            throw new ModelFormatException(source + ": not a readable zip archive (no end of central directory record)");
        }
        int disk = bytes.getShort(end + 4) & 0xffff;
        int directoryDisk = bytes.getShort(end + 6) & 0xffff;
        int onDisk = bytes.getShort(end + 8) & 0xffff;
        int count = bytes.getShort(end + 10) & 0xffff;
        long directorySize = bytes.getInt(end + 12) & 0xffffffffL;
        long directoryOffset = bytes.getInt(end + 16) & 0xffffffffL;
        int limit = Limits.current().maxZipEntries();
        if (count > limit || count == 0xffff && limit < 0xffff) { // 0xffff: ZIP64's "at least 65535"
            throw new ModelFormatException(source + ": more than " + limit
                    + " zip entries (raise the limit with -Dnncore.maxZipEntries)");
        }
        if (count == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL) {
            throw new ModelFormatException(source + ": a ZIP64 archive, which nn-core does not read");
        }
        if (disk != 0 || directoryDisk != 0 || onDisk != count) {
            throw new ModelFormatException(source + ": a zip archive split over several disks");
        }
        if (directoryOffset + directorySize != end) {
            throw new ModelFormatException(source + ": the zip's central directory (" + directorySize + " bytes at offset "
                    + directoryOffset + ") does not end where its end record starts (" + end + "); data before the first"
                    + " entry or between the entries is refused");
        }
        List<CentralEntry> entries = new ArrayList<>();
        int at = (int) directoryOffset;
        long expectedLocal = 0;
        for (int i = 0; i < count; i++) {
            if (at + 46 > end || bytes.getInt(at) != CENTRAL_SIGNATURE) {
                throw new ModelFormatException(source + ": central directory record " + i + " at offset " + at + " is missing");
            }
            int flags = bytes.getShort(at + 8) & 0xffff;
            int method = bytes.getShort(at + 10) & 0xffff;
            long crc = bytes.getInt(at + 16) & 0xffffffffL;
            long compressed = bytes.getInt(at + 20) & 0xffffffffL;
            long size = bytes.getInt(at + 24) & 0xffffffffL;
            int nameLength = bytes.getShort(at + 28) & 0xffff;
            int extraLength = bytes.getShort(at + 30) & 0xffff;
            int commentLength = bytes.getShort(at + 32) & 0xffff;
            long local = bytes.getInt(at + 42) & 0xffffffffL;
            if (at + 46L + nameLength + extraLength + commentLength > end) {
                throw new ModelFormatException(source + ": central directory record " + i + " runs past the directory");
            }
            byte[] name = java.util.Arrays.copyOfRange(zip, at + 46, at + 46 + nameLength);
            if (compressed == 0xffffffffL || size == 0xffffffffL || local == 0xffffffffL) {
                throw new ModelFormatException(source + ": a ZIP64 entry, which nn-core does not read");
            }
            if (local != expectedLocal) {
                throw new ModelFormatException(source + ": the central directory puts zip entry " + i + " at offset "
                        + local + ", but the previous entry ends at " + expectedLocal + "; refusing entries that overlap,"
                        + " hide between others or are listed out of order");
            }
            if (local + 30 > directoryOffset || bytes.getInt((int) local) != LOCAL_SIGNATURE) {
                throw new ModelFormatException(source + ": no local header at offset " + local + " for zip entry " + i);
            }
            int localNameLength = bytes.getShort((int) local + 26) & 0xffff;
            int localExtraLength = bytes.getShort((int) local + 28) & 0xffff;
            long data = local + 30 + localNameLength + localExtraLength;
            if (data + compressed > directoryOffset || !java.util.Arrays.equals(zip, (int) local + 30,
                    (int) local + 30 + localNameLength, name, 0, name.length)) {
                throw new ModelFormatException(source + ": zip entry " + i + "'s local header does not match the central"
                        + " directory (name or size)");
            }
            expectedLocal = data + compressed;
            if ((flags & 0x08) != 0) { // a data descriptor follows: optional signature, CRC-32, sizes
                boolean signed = expectedLocal + 4 <= directoryOffset && bytes.getInt((int) expectedLocal) == 0x08074b50;
                expectedLocal += (signed ? 4 : 0) + 12;
            }
            String text = (flags & 0x800) != 0 ? new String(name, StandardCharsets.UTF_8) : cp437(name);
            entries.add(new CentralEntry(text, method, crc, compressed, size, data));
            at += 46 + nameLength + extraLength + commentLength;
        }
        if (expectedLocal != directoryOffset) {
            throw new ModelFormatException(source + ": " + (directoryOffset - expectedLocal) + " bytes between the last zip"
                    + " entry and the central directory, which Python's zipfile would not read");
        }
        return entries;
    }

    /**
     * A name without the UTF-8 flag: ASCII as is (what ZipInputStream also reads); other bytes are read as UTF-8 by
     * ZipInputStream but as code page 437 by Python, so such names are compared as UTF-8 too and refused if they
     * differ in the two readings.
     */
    private static String cp437(byte[] name) throws ModelFormatException {
        for (byte b : name) {
            if (b < 0) {
                return new String(name, StandardCharsets.UTF_8) + "\u0000non-ASCII"; // never equals a local name
            }
        }
        return new String(name, StandardCharsets.US_ASCII);
    }
}
