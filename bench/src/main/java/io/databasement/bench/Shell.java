package io.databasement.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the baselines and the setup commands. Commands are argument lists; the few pipelines are fixed bash
 * programs that take their values as positional arguments ({@code "$1"}), so no value is ever pasted into a shell
 * string.
 */
final class Shell {

    /** Wall and CPU seconds of a command and all the children it waited for, from GNU time. */
    record Timed(double wallSeconds, double cpuSeconds, long maxRssBytes) {
    }

    private final Map<String, String> env;

    Shell(Map<String, String> env) {
        this.env = env;
    }

    /** @return stdout; throws with stderr when the command fails */
    String run(List<String> command) {
        return run(command, null);
    }

    /** @return stdout, or "" when the command fails (a probe for something that may not exist) */
    String runOrEmpty(List<String> command) {
        try {
            return run(command, null);
        } catch (IllegalStateException e) {
            return "";
        }
    }

    String run(List<String> command, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": " + tail(err.join()));
            }
            return out.join();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Runs a bash program under {@code /usr/bin/time}: {@code bash -c program bench args...}, with pipefail.
     */
    Timed timed(String program, String... args) {
        Path times;
        try {
            times = Files.createTempFile("bench-time", ".txt");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", times.toString(),
                "bash", "-c", "set -euo pipefail; " + program, "bench"));
        command.addAll(List.of(args));
        try {
            run(command);
            String[] f = Files.readString(times).trim().split("\\s+");
            return new Timed(Double.parseDouble(f[0]), Double.parseDouble(f[1]) + Double.parseDouble(f[2]),
                    Long.parseLong(f[3]) * 1024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            times.toFile().delete();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 2000 ? "…" + t.substring(t.length() - 2000) : t;
    }
}
