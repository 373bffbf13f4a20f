package dev.falgate.local;

/**
 * When the HTTP front hands a request body to a handler base64-encoded. Non-text bodies always
 * are, as API Gateway does; for text bodies API Gateway's choice is not something a handler may
 * rely on, so the local stack can force or randomise it to prove handlers decode both.
 */
public enum Base64Bodies {
    /** Every body, text included. */
    ALWAYS,
    /** Only bodies whose content type is not text (API Gateway's usual behaviour). */
    BINARY_ONLY,
    /** Text bodies at random (seeded, so a failure can be replayed). */
    RANDOM
}
