package dev.falgate.emulator.input;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * What {@link InputChecker} found: the downloaded files, or the FastAPI {@code detail} items
 * that make the request fail with 422.
 */
public record InputCheck(List<InputFile> files, ArrayNode problems) {

    public boolean valid() {
        return problems.isEmpty();
    }
}
