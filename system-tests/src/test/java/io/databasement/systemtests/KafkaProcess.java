package io.databasement.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system tests' Kafka broker as a process of its own (devstack's {@code KafkaMain}, the way ./dbm runs it), so
 * the fault suite can stop it and start it again on the same ports and data folder, as an outage would.
 */
final class KafkaProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Path log;
    private Process process;

    private KafkaProcess(Path dataDir, int port, int controllerPort, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.log = log;
    }

    static KafkaProcess start(Path dataDir, int port, int controllerPort, Path logDir) {
        KafkaProcess kafka = new KafkaProcess(dataDir, port, controllerPort, logDir.resolve("kafka.log"));
        kafka.start();
        return kafka;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) and waits for its READY line. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.databasement.devstack.KafkaMain", "--data-dir=" + dataDir, "--port=" + port,
                "--controller-port=" + controllerPort, "--partitions=12");
        try {
            Files.createDirectories(log.getParent());
            long from = Files.exists(log) ? Files.size(log) : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + log);
                }
                String text = Files.readString(log);
                if (text.substring((int) Math.min(from, text.length())).contains("READY kafka")) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("Kafka not ready within 90 s; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the broker (SIGTERM: a clean shutdown, like an operator's restart or a rolling update). */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
