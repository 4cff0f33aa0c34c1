package io.databasement.systemtests;

import io.databasement.devstack.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Schema + data dumps with the real tools, normalised so two databases with the same content compare equal. */
final class Dumps {

    static String postgres(String database) {
        var pg = TestInfrastructure.postgres();
        ProcessBuilder builder = new ProcessBuilder("pg_dump", "--no-owner", "--no-privileges");
        builder.environment().put("PGHOST", pg.host());
        builder.environment().put("PGPORT", Integer.toString(pg.port()));
        builder.environment().put("PGUSER", pg.user());
        builder.environment().put("PGDATABASE", database);
        if (pg.password() != null) {
            builder.environment().put("PGPASSWORD", pg.password());
        }
        // pg_dump 15.14+ frames its output with a random \restrict key: not content
        return run(builder).lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n"));
    }

    static String mariadb(String database) {
        var db = TestInfrastructure.mariadb();
        ProcessBuilder builder = new ProcessBuilder("mariadb-dump", "--no-defaults", "--protocol=TCP", "--host=" + db.host(),
                "--port=" + db.port(), "--user=" + db.user(), "--single-transaction", "--routines", "--triggers", "--events",
                "--hex-blob", "--skip-comments", "--skip-dump-date", "--", database);
        if (db.password() != null) {
            builder.environment().put("MYSQL_PWD", db.password());
        }
        return run(builder).replace("`" + database + "`", "`DB`");
    }

    private static String run(ProcessBuilder builder) {
        try {
            Process process = builder.redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] err;
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(List.of(builder.command()) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Dumps() {
    }
}
