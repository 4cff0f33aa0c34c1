package io.databasement.devstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What the three mains share: {@code --name=value} arguments with an environment fallback,
 * logging defaults, the READY line ./dbm waits for, and a clean stop on SIGTERM.
 */
final class MainSupport {

    private final Map<String, String> args = new HashMap<>();

    MainSupport(String[] argv) {
        for (String arg : argv) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments look like --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            args.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
    }

    /**
     * Must run before the first logger is created. slf4j-simple reads these once; -D on the
     * command line still wins because we only set what is absent.
     */
    static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.kafka", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.state.change.logger", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.gaul.s3proxy", "warn");
        // Kafka's log4j-api calls go to log4j-core; keep them at WARN as well
        setIfAbsent("log4j2.level", "WARN");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    String get(String name, String envName, String defaultValue) {
        String value = args.get(name);
        if (value == null && envName != null) {
            value = System.getenv(envName);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** Secrets come only from the environment, never from arguments that {@code ps} shows. */
    static String env(String envName, String defaultValue) {
        String value = System.getenv(envName);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    int getInt(String name, String envName, int defaultValue) {
        String value = get(name, envName, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got: " + value);
        }
    }

    Path getPath(String name, String envName, String defaultValue) {
        return Path.of(get(name, envName, defaultValue)).toAbsolutePath();
    }

    /** Prints the READY line, then parks the main thread until SIGTERM/SIGINT has closed the server. */
    static void readyAndWait(String readyLine, AutoCloseable server) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                System.out.println("STOPPED");
            } catch (Exception e) {
                System.err.println("stop failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "devstack-stop"));
        System.out.println("READY " + readyLine);
        System.out.flush();
        stopped.await();
    }

    /** A start failure ends the process with one readable line and exit code 1, not a hang. */
    static void fail(String what, Exception e) {
        System.err.println("FAILED to start " + what + ": " + e.getMessage());
        System.exit(1);
    }
}
