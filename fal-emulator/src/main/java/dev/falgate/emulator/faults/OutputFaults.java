package dev.falgate.emulator.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.queue.FalRequest;
import dev.falgate.emulator.queue.Outcome;
import dev.falgate.emulator.queue.RequestQueue;
import java.util.Map;

/**
 * The faults that strike a request's outputs once it succeeded, decided once per request so
 * all its files behave alike: {@code missing_output} drops the files from the CDN (every
 * download answers 404); {@code foreign_output_host} rewrites every file URL to name
 * {@value #FOREIGN_HOST} (same port and path), a host outside fal's CDN. The emulator listens
 * on 127.0.0.1 only, so such a URL is refused if anyone connects: the point is that a client
 * must refuse the host before connecting.
 */
public final class OutputFaults implements RequestQueue.Processor {
    /** A loopback address other than the CDN's 127.0.0.1: no test traffic leaves the machine. */
    public static final String FOREIGN_HOST = "127.0.0.2";

    private final RequestQueue.Processor runner;
    private final FaultPlan faults;
    private final FileStore files;

    public OutputFaults(RequestQueue.Processor runner, FaultPlan faults, FileStore files) {
        this.runner = runner;
        this.faults = faults;
        this.files = files;
    }

    @Override
    public Outcome process(FalRequest request) {
        Outcome outcome = runner.process(request);
        if (!outcome.succeeded() || !files.hasFiles(request.id())) {
            return outcome; // nothing on the CDN (a failure, or sync_mode's inline files)
        }
        if (faults.fires(Fault.MISSING_OUTPUT)) {
            files.remove(request.id());
        }
        if (faults.fires(Fault.FOREIGN_OUTPUT_HOST)) {
            String prefix = files.urlPrefix();
            String foreign = prefix.replaceFirst("//127\\.0\\.0\\.1:", "//" + FOREIGN_HOST + ":");
            JsonNode moved = rewrite(outcome.body().deepCopy(), prefix, foreign);
            return Outcome.success((ObjectNode) moved);
        }
        return outcome;
    }

    /** Replaces {@code from} with {@code to} at the start of every string in the tree. */
    private static JsonNode rewrite(JsonNode node, String from, String to) {
        if (node.isTextual() && node.asText().startsWith(from)) {
            return TextNode.valueOf(to + node.asText().substring(from.length()));
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                field.setValue(rewrite(field.getValue(), from, to));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, rewrite(array.get(i), from, to));
            }
        }
        return node;
    }
}
