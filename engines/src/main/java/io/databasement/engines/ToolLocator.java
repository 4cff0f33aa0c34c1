package io.databasement.engines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Finds client tools in a list of directories (each may contain {@code *} segments, e.g.
 * {@code /usr/lib/postgresql/*}{@code /bin}) and then on {@code PATH}, and asks each for its version.
 * Versions are cached per path: asking costs a process start.
 */
public final class ToolLocator {

    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final List<String> directoryPatterns;
    private final boolean searchPath;
    private final Map<Path, Optional<String>> versions = new ConcurrentHashMap<>();

    public ToolLocator(List<String> directoryPatterns, boolean searchPath) {
        this.directoryPatterns = List.copyOf(directoryPatterns);
        this.searchPath = searchPath;
    }

    /** Splits a {@code PATH}-like list: entries separated by ':' or ','. */
    public static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split("[:,]")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * Every installed copy of {@code executable} whose version could be read, newest major first
     * (directories before {@code PATH} on a tie).
     */
    public List<InstalledTool> find(String executable, ToIntFunction<String> majorOf) {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String pattern : directoryPatterns) {
            for (Path dir : expand(pattern)) {
                candidates.add(dir.resolve(executable));
            }
        }
        if (searchPath) {
            for (String dir : splitPath(System.getenv("PATH"))) {
                candidates.add(Path.of(dir).resolve(executable));
            }
        }
        List<InstalledTool> found = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                continue;
            }
            Optional<String> line = versions.computeIfAbsent(candidate.toAbsolutePath(), ToolLocator::versionLine);
            line.ifPresent(l -> {
                int major = majorOf.applyAsInt(l);
                if (major > 0) {
                    found.add(new InstalledTool(candidate, l, major));
                }
            });
        }
        found.sort(Comparator.comparingInt(InstalledTool::majorVersion).reversed());
        return found;
    }

    private static List<String> splitPath(String path) {
        List<String> out = new ArrayList<>();
        if (path != null) {
            for (String part : path.split(java.io.File.pathSeparator)) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    /** Expands {@code *}/{@code ?} segments against the file system; other segments are taken as they are. */
    static List<Path> expand(String pattern) {
        Path path = Path.of(pattern);
        List<Path> current = new ArrayList<>();
        current.add(path.getRoot() == null ? Path.of("") : path.getRoot());
        for (Path segment : path) {
            String glob = segment.toString();
            List<Path> next = new ArrayList<>();
            for (Path base : current) {
                if (glob.contains("*") || glob.contains("?")) {
                    Path dir = base.toString().isEmpty() ? Path.of(".") : base;
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
                        List<Path> matches = new ArrayList<>();
                        stream.forEach(matches::add);
                        matches.sort(Comparator.naturalOrder());
                        next.addAll(matches);
                    } catch (IOException e) {
                        // an unreadable directory simply holds no clients
                    }
                } else {
                    next.add(base.resolve(glob));
                }
            }
            current = next;
        }
        return current.stream().filter(Files::isDirectory).toList();
    }

    private static Optional<String> versionLine(Path tool) {
        try {
            Process process = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            if (process.exitValue() != 0) {
                return Optional.empty();
            }
            String first = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
            return first.isEmpty() ? Optional.empty() : Optional.of(first);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
