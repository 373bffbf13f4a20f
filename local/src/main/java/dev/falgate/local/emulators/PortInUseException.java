package dev.falgate.local.emulators;

import java.net.BindException;

/** A listener of the local stack could not bind its port: something else holds it. */
public final class PortInUseException extends EmulatorException {
    private final String listener;
    private final int port;

    /** {@code cause}: the bind failure, or null when a check before binding found the port taken. */
    public PortInUseException(String listener, int port, Throwable cause) {
        super(listener + " cannot listen on port " + port + ": it is already in use", cause);
        this.listener = listener;
        this.port = port;
    }

    /** A {@link PortInUseException} when a bind failure is among the causes, else a plain start failure. */
    public static EmulatorException startFailure(String listener, int port, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new PortInUseException(listener, port, cause);
            }
        }
        return new EmulatorException(listener + " did not start on port " + port, cause);
    }

    public String listener() {
        return listener;
    }

    public int port() {
        return port;
    }
}
