package dev.falgate.emulator.input;

/** A file URL that could not be downloaded; becomes a 422 {@code file_download_error}. */
public final class FetchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public FetchFailedException(String message) {
        super(message);
    }
}
