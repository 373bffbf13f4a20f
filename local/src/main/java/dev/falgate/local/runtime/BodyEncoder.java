package dev.falgate.local.runtime;

import dev.falgate.local.Base64Bodies;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/** Decides, per request, whether the event's body is base64 ({@code isBase64Encoded}) or text. */
final class BodyEncoder {
    private final Base64Bodies mode;
    private final Random random;

    BodyEncoder(Base64Bodies mode, long seed) {
        this.mode = mode;
        this.random = new Random(seed);
    }

    record EncodedBody(String body, boolean base64) {
    }

    EncodedBody encode(byte[] body, String contentType) {
        if (body.length == 0) {
            return new EncodedBody(null, false);
        }
        if (shouldEncode(contentType)) {
            return new EncodedBody(Base64.getEncoder().encodeToString(body), true);
        }
        return new EncodedBody(new String(body, StandardCharsets.UTF_8), false);
    }

    private boolean shouldEncode(String contentType) {
        if (!isText(contentType)) {
            return true;
        }
        return switch (mode) {
            case ALWAYS -> true;
            case BINARY_ONLY -> false;
            case RANDOM -> nextCoin();
        };
    }

    private synchronized boolean nextCoin() {
        return random.nextBoolean();
    }

    /** No content type counts as binary: API Gateway cannot know the bytes are text. */
    static boolean isText(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded") || type.equals("application/graphql");
    }
}
