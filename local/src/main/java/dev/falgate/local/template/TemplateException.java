package dev.falgate.local.template;

/** template.yaml cannot be read, or asks for something the local stack does not emulate. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
