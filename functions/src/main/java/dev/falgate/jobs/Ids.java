package dev.falgate.jobs;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * ULID-based ids ({@code job_01J...}, {@code upl_01J...}): sortable by creation time, which
 * the newest-first job list relies on.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public Ids(Clock clock) {
        this.clock = clock;
    }

    public String job() {
        return "job_" + ulid();
    }

    public String upload() {
        return "upl_" + ulid();
    }

    public static boolean isJobId(String s) {
        return s != null && s.matches("job_[0-9A-HJKMNP-TV-Z]{26}");
    }

    public static boolean isUploadId(String s) {
        return s != null && s.matches("upl_[0-9A-HJKMNP-TV-Z]{26}");
    }

    String ulid() {
        long time = clock.millis();
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits as 16 base-32 digits
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
