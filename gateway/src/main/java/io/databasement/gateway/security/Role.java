package io.databasement.gateway.security;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
    /** Reads everything but tokens and the audit trail. */
    VIEWER,
    /** Also takes snapshots, restores and runs schedules. */
    OPERATOR,
    /** Also manages servers, volumes, tokens, and reads the audit trail. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code viewer}, {@code operator} or {@code admin}, any case, nothing around it; null if it is none of them. */
    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        for (Role role : values()) {
            if (role.name().equalsIgnoreCase(value)) {
                return role;
            }
        }
        return null;
    }
}
