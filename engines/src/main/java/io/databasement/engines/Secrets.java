package io.databasement.engines;

/** Removes a password from text that is about to be shown to a user or logged. */
public final class Secrets {

    public static final String MASK = "***";

    /** @return {@code text} with every occurrence of {@code secret} replaced by {@code ***} */
    public static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, MASK);
    }

    private Secrets() {
    }
}
