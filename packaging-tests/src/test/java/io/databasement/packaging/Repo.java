package io.databasement.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, found from the module's working directory (Surefire runs in {@code packaging-tests/}). */
final class Repo {

    private Repo() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("dbm"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no checkout root (a folder holding ./dbm) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    /** Whether {@code tool} is an executable on the PATH (kubectl, promtool: their tests skip without it). */
    static boolean onPath(String tool) {
        return java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }
}
