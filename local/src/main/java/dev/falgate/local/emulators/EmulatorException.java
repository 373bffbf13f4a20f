package dev.falgate.local.emulators;

/** An emulator failed to start or stop. */
public class EmulatorException extends RuntimeException {
    public EmulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
