package io.databasement.storage.store;

import io.databasement.contracts.ObjectKeys;

/** Checks shared by every store. */
public final class Keys {

    /** @throws ObjectKeyRefused if the key could escape its volume or is not a plain relative path */
    public static String checkKey(String key) {
        try {
            return ObjectKeys.validate(key);
        } catch (IllegalArgumentException e) {
            throw new ObjectKeyRefused(e.getMessage());
        }
    }

    private Keys() {
    }
}
