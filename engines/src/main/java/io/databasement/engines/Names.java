package io.databasement.engines;

/** Checks shared by every engine's database-name rules. */
final class Names {

    /**
     * Control characters are legal in some servers' quoted identifiers, but they break tool output,
     * log lines and object keys, and nobody names a database with a tab on purpose.
     */
    static void rejectControlCharacters(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new InvalidDatabaseNameException("database name must not contain a NUL character");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidDatabaseNameException("database name must not contain control characters (tabs, newlines, ...)");
        }
    }

    /**
     * Tools read a leading '-' as an option. We pass names through the environment or after {@code --},
     * but the restore side and people's own scripts may not, so such names are refused outright.
     */
    static void rejectLeadingDash(String name) {
        if (name.startsWith("-")) {
            throw new InvalidDatabaseNameException("database name must not start with '-' (command-line tools would read it as an option)");
        }
    }

    static void rejectEmpty(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidDatabaseNameException("database name is empty");
        }
    }

    private Names() {
    }
}
