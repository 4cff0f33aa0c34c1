package io.databasement.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 endpoint backed by a folder (S3Proxy with its filesystem blob store); objects land at
 * {@code <dataDir>/<bucket>/<key>}. Requests must be signed (AWS V2 or V4) with the given keys.
 */
public final class S3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final String endpoint;

    private S3Server(S3Proxy proxy, String endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public record Settings(Path dataDir, int port, String accessKey, String secretKey, String bucket) {
        public Settings {
            if (port < 0) {
                throw new IllegalArgumentException("port must be >= 0 (0 = random)");
            }
            if (isBlank(accessKey) || isBlank(secretKey) || isBlank(bucket)) {
                throw new IllegalArgumentException("access key, secret key and bucket are required");
            }
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }

    public static S3Server start(Settings settings) {
        QuietLogs.apply();
        try {
            Files.createDirectories(settings.dataDir());
            FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(settings.dataDir().toAbsolutePath().toString());
            if (!store.containerExists(settings.bucket())) {
                store.createContainer(settings.bucket());
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:" + settings.port()))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, settings.accessKey(), settings.secretKey())
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    proxy.stop();
                    throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
                }
                Thread.sleep(5);
            }
            return new S3Server(proxy, "http://127.0.0.1:" + proxy.getPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting S3Proxy", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy on port " + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9000} (path-style buckets). */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping S3Proxy failed", e);
        }
    }
}
