package io.databasement.restoreworker.load;

/**
 * What one load saw. The verdict is {@link #problem}: the first reason not to swap, in the order a person
 * would want to hear it (a damaged artifact explains every later failure, so it comes first).
 *
 * @param bytesRead        artifact bytes read, all of them even when the tool stopped early
 * @param rawBytes         decompressed bytes fed to the tool
 * @param sha256           hex SHA-256 of the artifact bytes read
 * @param decompressError  why decompression failed, or null
 * @param exitCode         the tool's exit code
 * @param toolReason       the tool's own words when it failed (first error line), else null
 * @param trailerFound     whether the SQL ended with the engine's dump trailer
 */
public record LoadResult(long bytesRead, long rawBytes, String sha256, String decompressError, int exitCode, String toolReason,
                         boolean trailerFound) {

    /** @return null if the restored staging database may be swapped in */
    public String problem(String expectedSha256, long expectedBytes, String toolName, String trailer) {
        if (!sha256.equalsIgnoreCase(expectedSha256)) {
            return "checksum mismatch: the artifact's SHA-256 is " + sha256 + " but the snapshot's is " + expectedSha256
                    + " (" + bytesRead + " bytes read)";
        }
        if (expectedBytes > 0 && bytesRead != expectedBytes) {
            return "size mismatch: read " + bytesRead + " bytes but the snapshot has " + expectedBytes;
        }
        if (decompressError != null) {
            return "the artifact could not be decompressed: " + decompressError;
        }
        if (exitCode != 0) {
            return toolReason == null || toolReason.isBlank() ? toolName + " exited with code " + exitCode : toolReason;
        }
        if (!trailerFound) {
            return "the snapshot is incomplete: it does not end with \"" + trailer + "\"";
        }
        return null;
    }
}
