package io.databasement.storage.volume;

import java.util.Arrays;
import java.util.Optional;

public enum VolumeType {
    LOCAL, S3;

    /** The name clients and messages use: {@code local} or {@code s3}. */
    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<VolumeType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
