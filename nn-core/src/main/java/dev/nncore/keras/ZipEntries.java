package dev.nncore.keras;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads every entry of a zip file into memory, counting the bytes actually inflated against
 * {@link Limits#MAX_UNZIPPED_BYTES}, whatever sizes the headers declare, so a zip bomb ends in an exception.
 */
final class ZipEntries {

    private ZipEntries() {
    }

    /** Entry name to contents, in the order the archive stores them. */
    static Map<String, byte[]> read(byte[] zip, String source) throws ModelFormatException {
        Limits limits = Limits.current();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        int count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++count > limits.maxZipEntries()) { // directories count too: each costs a header to parse
                    throw new ModelFormatException(source + ": more than " + limits.maxZipEntries()
                            + " zip entries (raise the limit with -Dnncore.maxZipEntries)");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int read;
                while ((read = in.read(buffer)) > 0) {
                    total += read;
                    if (total > limits.maxUnzippedBytes()) {
                        throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks past the limit of "
                                + limits.maxUnzippedBytes() + " bytes (raise it with -Dnncore.maxUnzippedBytes)");
                    }
                    if (out.size() + (long) read > Limits.MAX_ARRAY_BYTES) {
                        throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks to more than "
                                + Limits.MAX_ARRAY_BYTES + " bytes, more than one Java array holds");
                    }
                    out.write(buffer, 0, read);
                }
                if (entries.put(entry.getName(), out.toByteArray()) != null) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" appears twice");
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            // ZipException, EOFException; IllegalArgumentException from an entry name that is not valid UTF-8
            throw new ModelFormatException(source + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new ModelFormatException(source + ": the zip archive has no entries");
        }
        return entries;
    }
}
