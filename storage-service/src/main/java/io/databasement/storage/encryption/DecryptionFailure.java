package io.databasement.storage.encryption;

import io.databasement.storage.web.Problem;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * Stored bytes that do not decrypt. An {@link IOException}, so a failure in the middle of a download breaks the
 * stream like any read error; before the first byte is sent it becomes a problem ({@link #problem()}).
 */
public class DecryptionFailure extends IOException {

    private final transient Problem problem;

    private DecryptionFailure(Problem problem) {
        super(problem.getMessage());
        this.problem = problem;
    }

    static DecryptionFailure wrongKey(String objectKey, String keyId) {
        return new DecryptionFailure(new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "decryption-failed", "Decryption failed",
                "object " + objectKey + " was encrypted with key '" + keyId + "'; the configured key '" + keyId
                        + "' does not decrypt it (wrong key or damaged object)"));
    }

    public static DecryptionFailure damaged(String objectKey, String why) {
        return new DecryptionFailure(new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "decryption-failed", "Decryption failed",
                "object " + objectKey + " cannot be decrypted: " + why));
    }

    static DecryptionFailure unknownKey(String keyId) {
        return new DecryptionFailure(EncryptionKeys.unknown(keyId, HttpStatus.UNPROCESSABLE_CONTENT));
    }

    public Problem problem() {
        return problem;
    }
}
