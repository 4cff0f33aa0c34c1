package io.databasement.storage.store;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3 endpoint in-process (S3Proxy over a folder, RECIPES §4), with SigV4 authentication. */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "dbm-test-access";
    public static final String SECRET_KEY = "dbm-test-secret-key-1";

    private final S3Proxy proxy;
    private final Path dir;

    public S3TestServer(Path dir) throws Exception {
        this(dir, 0);
    }

    /** On a fixed port: a test that stops S3 and starts it again keeps the volume's endpoint. */
    public S3TestServer(Path dir, int port) throws Exception {
        this.dir = dir;
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** Where S3Proxy keeps {@code bucket/objectName}. */
    public Path file(String bucket, String objectName) {
        return dir.resolve(bucket).resolve(objectName);
    }

    public void createBucket(String bucket) throws Exception {
        try (MinioClient client = MinioClient.builder().endpoint(endpoint()).credentials(ACCESS_KEY, SECRET_KEY).build()) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
