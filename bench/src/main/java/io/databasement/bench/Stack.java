package io.databasement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The system as {@code ./dbm up} started it: its processes, logs and secrets, and {@code ./dbm scale}. */
final class Stack {

    private final Path root;
    private final Shell shell;

    Stack(Path root, Shell shell) {
        this.root = root;
        this.shell = shell;
    }

    long pid(String name) {
        Path file = root.resolve(".dbm/run/" + name + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            if (!Files.exists(Path.of("/proc/" + pid))) {
                throw new IllegalStateException(name + " (pid " + pid + ") is not running: ./dbm up first");
            }
            return pid;
        } catch (IOException e) {
            throw new IllegalStateException(name + " is not running (no " + file + "): ./dbm up first", e);
        }
    }

    int port(String name) {
        try {
            return Integer.parseInt(Files.readString(root.resolve(".dbm/run/" + name + ".port")).strip());
        } catch (IOException e) {
            throw new IllegalStateException(name + " is not running: ./dbm up first", e);
        }
    }

    /** Bytes in the service's log: its own disk writes, not counted as temporary files. */
    long logBytes(String name) {
        try {
            return Files.size(root.resolve(".dbm/logs/" + name + ".log"));
        } catch (IOException e) {
            return 0;
        }
    }

    Path log(String name) {
        return root.resolve(".dbm/logs/" + name + ".log");
    }

    String adminToken() {
        return secret("DBM_ADMIN_TOKEN");
    }

    String secret(String key) {
        String home = System.getenv().getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
        Path env = Path.of(System.getenv().getOrDefault("DBM_ENV_FILE", home + "/databasement/local.env"));
        try {
            for (String line : Files.readAllLines(env)) {
                String l = line.startsWith("export ") ? line.substring(7) : line;
                if (l.startsWith(key + "=")) {
                    return l.substring(key.length() + 1).replace("\"", "").replace("'", "").strip();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + env + " (./dbm up writes it): " + e, e);
        }
        throw new IllegalStateException(env + " has no " + key);
    }

    /** {@code ./dbm scale <module> <replicas>}; with JVM options, replicas started now get them. */
    void scale(String module, int replicas, String javaOpts) {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("dbm").toString(), "scale", module, Integer.toString(replicas)));
        if (javaOpts == null) {
            shell.run(cmd);
        } else {
            new Shell(Map.of("DBM_JAVA_OPTS", javaOpts)).run(cmd);
        }
    }

    /** Replica names of a worker as ./dbm names them: restore-worker, restore-worker-2, ... */
    static String replica(String module, int i) {
        return i == 1 ? module : module + "-" + i;
    }
}
