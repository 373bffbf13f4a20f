package dev.falgate.emulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Every accepted submit, in order, kept for the emulator's life (unlike requests, which are
 * evicted): refused submits (the {@code submit_http_error} fault, bad input) never get here.
 */
public final class SubmitLedger {
    private final List<AcceptedSubmit> accepted = new ArrayList<>();

    public synchronized void add(AcceptedSubmit submit) {
        accepted.add(submit);
    }

    public synchronized List<AcceptedSubmit> list() {
        return List.copyOf(accepted);
    }
}
