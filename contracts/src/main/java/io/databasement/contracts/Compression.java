package io.databasement.contracts;

import java.util.Arrays;
import java.util.Optional;

/** Artifact compression, with its wire name, file extension and level bounds. */
public enum Compression {
    ZSTD("zstd", ".zst", 3, 1, 19),
    GZIP("gzip", ".gz", 6, 1, 9),
    NONE("none", "", 0, 0, 0);

    private final String wireName;
    private final String extension;
    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(String wireName, String extension, int defaultLevel, int minLevel, int maxLevel) {
        this.wireName = wireName;
        this.extension = extension;
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    public String wireName() {
        return wireName;
    }

    /** {@code .zst}, {@code .gz} or empty. */
    public String extension() {
        return extension;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    public boolean acceptsLevel(int level) {
        return this == NONE ? level == 0 : level >= minLevel && level <= maxLevel;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public static Optional<Compression> fromWire(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
}
