package dev.falgate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Small secrets the local stack keeps in its state directory, so restarts keep cursors and keys valid. */
final class StateFiles {
    static final String CURSOR_SECRET_FILE = "cursor-secret";
    static final String WEBHOOK_SECRET_FILE = "webhook-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private StateFiles() {
    }

    /** Read from {@code <state>/cursor-secret}, created on first use; a fresh one per run without state. */
    static String cursorSecret(Optional<Path> stateDir) {
        return stateDir.map(dir -> readOrCreate(dir.resolve(CURSOR_SECRET_FILE))).orElseGet(StateFiles::randomSecret);
    }

    /** The key of the webhook URLs' tokens, kept so a job's webhook still verifies after a restart. */
    static String webhookSecret(Optional<Path> stateDir) {
        return stateDir.map(dir -> readOrCreate(dir.resolve(WEBHOOK_SECRET_FILE))).orElseGet(StateFiles::randomSecret);
    }

    static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            String secret = randomSecret();
            Files.writeString(file, secret + "\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a secret in " + file, e);
        }
    }

    static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
