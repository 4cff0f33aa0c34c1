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
}
