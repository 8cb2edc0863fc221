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
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entries.size() >= Limits.MAX_ZIP_ENTRIES) {
                    throw new ModelFormatException(source + ": more than " + Limits.MAX_ZIP_ENTRIES + " zip entries");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int read;
                while ((read = in.read(buffer)) > 0) {
                    total += read;
                    if (total > Limits.MAX_UNZIPPED_BYTES) {
                        throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" unpacks past the limit of "
                                + Limits.MAX_UNZIPPED_BYTES + " bytes (raise it with -Dnncore.maxUnzippedBytes)");
                    }
                    out.write(buffer, 0, read);
                }
                if (entries.put(entry.getName(), out.toByteArray()) != null) {
                    throw new ModelFormatException(source + ": zip entry \"" + entry.getName() + "\" appears twice");
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(source + ": not a readable zip archive (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new ModelFormatException(source + ": the zip archive has no entries");
        }
        return entries;
    }
}
