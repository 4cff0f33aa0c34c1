package io.databasement.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 computed while bytes stream through a fixed buffer: memory stays bounded whatever the size. */
public final class Digests {

    private static final int BUFFER = 64 * 1024;

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Copies {@code in} to {@code out}, feeding {@code digest}; returns the byte count. */
    public static long copy(InputStream in, OutputStream out, MessageDigest digest) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    /**
     * Writes {@code body} to {@code target} and checks its SHA-256 against {@code expectedSha256} (null: the body
     * checks itself and throws while being read); on any failure the file is deleted first.
     *
     * @return the size and the hex SHA-256 of the bytes written
     */
    static Written writeVerified(InputStream body, Path target, int partNumber, String expectedSha256) {
        MessageDigest digest = sha256();
        long size;
        try (OutputStream out = Files.newOutputStream(target)) {
            size = copy(body, out, digest);
        } catch (IOException e) {
            deleteQuietly(target);
            throw new UncheckedIOException("could not receive part " + partNumber, e);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
        String actual = hex(digest);
        if (expectedSha256 != null && !actual.equalsIgnoreCase(expectedSha256)) {
            deleteQuietly(target);
            throw new PartDigestMismatch(partNumber, actual);
        }
        return new Written(size, actual);
    }

    record Written(long size, String sha256) {
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is swept with its upload folder
        }
    }

    private Digests() {
    }
}
