package io.databasement.devstack;

/**
 * Standalone S3 endpoint for ./dbm. Arguments (or environment): {@code --data-dir}
 * ({@code DBM_S3_DATA_DIR}, default {@code .dbm/data/s3}), {@code --port} ({@code DBM_S3_PORT}, 9000),
 * {@code --bucket} ({@code DBM_S3_BUCKET}, databasement); keys only from the environment
 * ({@code DBM_S3_ACCESS_KEY} / {@code DBM_S3_SECRET_KEY}, defaults {@code local-access} /
 * {@code local-secret-key} for local development) so they never show in {@code ps}.
 * Prints {@code READY s3 endpoint=http://127.0.0.1:<port> bucket=<bucket>}.
 */
public final class S3Main {

    private S3Main() {
    }

    public static void main(String[] argv) throws InterruptedException {
        MainSupport.configureLogging();
        S3Server server = null;
        String bucket = null;
        try {
            MainSupport args = new MainSupport(argv);
            bucket = args.get("bucket", "DBM_S3_BUCKET", "databasement");
            server = S3Server.start(new S3Server.Settings(
                    args.getPath("data-dir", "DBM_S3_DATA_DIR", ".dbm/data/s3"),
                    args.getInt("port", "DBM_S3_PORT", 9000),
                    MainSupport.env("DBM_S3_ACCESS_KEY", "local-access"),
                    MainSupport.env("DBM_S3_SECRET_KEY", "local-secret-key"),
                    bucket));
        } catch (RuntimeException e) {
            MainSupport.fail("S3", e);
        }
        MainSupport.readyAndWait("s3 endpoint=" + server.endpoint() + " bucket=" + bucket, server);
    }
}
