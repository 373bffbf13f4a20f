package dev.falgate.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Small secrets the local stack keeps in its state directory, so restarts keep cursors and keys
 * valid. The directory (jobs, API key hashes, objects) is its owner's only (0700), each secret file
 * too (0600): the local API key is kept in plain text there, because the banner shows it on every start.
 */
final class StateFiles {
    static final String CURSOR_SECRET_FILE = "cursor-secret";
    static final String WEBHOOK_SECRET_FILE = "webhook-secret";
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final SecureRandom RANDOM = new SecureRandom();

    private StateFiles() {
    }

    /** Read from {@code <state>/cursor-secret}, created on first use; a fresh one per run without state. */
    static String cursorSecret(Optional<Path> stateDir) {
        return secret(stateDir, CURSOR_SECRET_FILE);
    }

    /** The key of the webhook URLs' tokens, kept so a job's webhook still verifies after a restart. */
    static String webhookSecret(Optional<Path> stateDir) {
        return secret(stateDir, WEBHOOK_SECRET_FILE);
    }

    /** The secret kept in the state directory's file, created on first use; a fresh one per run without state. */
    private static String secret(Optional<Path> stateDir, String fileName) {
        return stateDir.map(dir -> readOrCreate(dir.resolve(fileName))).orElseGet(StateFiles::randomSecret);
    }

    static String readOrCreate(Path file) {
        if (Files.exists(file)) {
            return readSecret(file).trim();
        }
        String secret = randomSecret();
        writeSecret(file, secret + "\n");
        return secret;
    }

    /** Creates the directory if needed and makes it its owner's only (also one an older version left 0755). */
    static void ownerOnlyDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            restrict(dir, OWNER_ONLY_DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep state in " + dir, e);
        }
    }

    /** Created with 0600 from the start, so it is never readable by others, not even briefly. */
    static void writeSecret(Path file, String content) {
        ownerOnlyDirectory(file.getParent());
        try {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            }
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a secret in " + file, e);
        }
    }

    /** Tightens a file an older version wrote 0644 before reading it. */
    static String readSecret(Path file) {
        try {
            restrict(file, OWNER_ONLY_FILE);
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret in " + file, e);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
