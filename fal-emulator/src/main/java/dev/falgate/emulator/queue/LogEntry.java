package dev.falgate.emulator.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One runner log line. */
public record LogEntry(String message, String level, Instant timestamp) {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /**
     * Clients disagree on the shape (level/source at the top, or under {@code labels}), so it
     * carries both (fal-protocol.md §1.4).
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.object()
                .put("message", message)
                .put("level", level)
                .put("source", "USER")
                .put("timestamp", FORMAT.format(timestamp));
        node.putObject("labels").put("level", level).put("source", "USER");
        return node;
    }
}
