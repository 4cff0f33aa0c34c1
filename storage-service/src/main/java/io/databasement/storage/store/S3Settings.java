package io.databasement.storage.store;

/**
 * How to reach one bucket. {@code secretKey} is the opened secret: it lives only in memory, inside
 * the MinIO client, and must never be logged ({@link #toString()} hides it).
 *
 * @param region null lets the client ask the endpoint
 * @param prefix         folder inside the bucket, without leading or trailing '/'; empty for the bucket root
 * @param publicEndpoint where operators reach the bucket, if not at {@code endpoint}: presigned URLs are signed
 *                       for it; null to use {@code endpoint}
 */
public record S3Settings(String endpoint, String bucket, String region, String accessKey, String secretKey,
                         String prefix, String publicEndpoint) {

    public S3Settings {
        prefix = prefix == null ? "" : prefix;
    }

    public S3Settings(String endpoint, String bucket, String region, String accessKey, String secretKey, String prefix) {
        this(endpoint, bucket, region, accessKey, secretKey, prefix, null);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region
                + ", accessKey=" + accessKey + ", prefix=" + prefix + ", publicEndpoint=" + publicEndpoint + "]";
    }
}
