package dev.falgate.proxy;

/** A proxied call refused before it does anything; answered in fal's error shape, {@code {"detail": ...}}. */
public final class ProxyRefusal extends RuntimeException {
    private final int status;

    public ProxyRefusal(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public static ProxyRefusal badRequest(String detail) {
        return new ProxyRefusal(400, detail);
    }

    public static ProxyRefusal forbidden(String detail) {
        return new ProxyRefusal(403, detail);
    }

    public static ProxyRefusal unauthorized(String detail) {
        return new ProxyRefusal(401, detail);
    }

    public int status() {
        return status;
    }
}
