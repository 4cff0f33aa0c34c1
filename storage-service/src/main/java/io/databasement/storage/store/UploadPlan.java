package io.databasement.storage.store;

import java.io.InputStream;
import java.util.function.UnaryOperator;

/**
 * What a caller promises when it starts an upload, so a store can place each part where it belongs as it arrives
 * instead of assembling the object at the end.
 *
 * @param partSize  stored bytes of every part but the last, which has no more; null: parts may have any size
 * @param partView  how to read the content back from one stored part (e.g. decrypt it), for a store that hashes
 *                  the object while the parts arrive; null when the stored bytes are the content
 */
public record UploadPlan(Long partSize, UnaryOperator<InputStream> partView) {

    public UploadPlan {
        if (partSize != null && partSize < 1) {
            throw new IllegalArgumentException("a part size must be positive, not " + partSize);
        }
    }

    public static UploadPlan partSize(Long partSize) {
        return new UploadPlan(partSize, null);
    }
}
