package dev.falgate.emulator.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.input.InputFile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Everything a generator may read for one request: the model, its parameters (the input, else
 * the catalog's documented default) and the downloaded input images.
 */
public final class GenerationContext {
    private final String requestId;
    private final ModelSpec model;
    private final ObjectNode input;
    private final List<SourceImage> images;
    private final long seed;
    private final long startedNanos = System.nanoTime();
    private final Map<String, Object> memo = new HashMap<>();

    public GenerationContext(String requestId, ModelSpec model, ObjectNode input,
            List<InputFile> files) {
        this.requestId = requestId;
        this.model = model;
        this.input = input;
        this.images = files.stream().filter(InputFile::isImage).map(SourceImage::of).toList();
        long requested = input.path("seed").asLong(-1);
        this.seed = requested >= 0 ? requested : ThreadLocalRandom.current().nextInt(1 << 30);
    }

    public String requestId() {
        return requestId;
    }

    public ModelSpec model() {
        return model;
    }

    /** The input value, else the catalog default, else a missing node. */
    public JsonNode param(String name) {
        JsonNode given = input.get(name);
        if (given != null && !given.isNull()) {
            return given;
        }
        return model.input(name).map(FieldSpec::defaultValue)
                .filter(d -> !d.isNull())
                .orElse(MissingNode.getInstance());
    }

    /** Whether the model has an input field of this name (given or not). */
    public boolean acceptsInput(String name) {
        return model.input(name).isPresent();
    }

    public String text(String name, String fallback) {
        JsonNode value = param(name);
        return value.isValueNode() ? value.asText() : fallback;
    }

    /** Numbers may arrive as strings ("1024"); both count. */
    public double number(String name, double fallback) {
        JsonNode value = param(name);
        return value.isValueNode() ? value.asDouble(fallback) : fallback;
    }

    public int integer(String name, int fallback) {
        return (int) Math.round(number(name, fallback));
    }

    public boolean flag(String name, boolean fallback) {
        JsonNode value = param(name);
        return value.isBoolean() ? value.asBoolean() : fallback;
    }

    /** {@code sync_mode} on a model that has it: files are returned inline as data URIs. */
    public boolean syncMode() {
        return acceptsInput("sync_mode") && flag("sync_mode", false);
    }

    public long seed() {
        return seed;
    }

    /** The input images in input order; one placeholder when there are none. */
    public List<SourceImage> images() {
        return images.isEmpty() ? List.of(memo("placeholder", SourceImage::placeholder)) : images;
    }

    public SourceImage primaryImage() {
        return images().get(0);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Computes a value once per request (e.g. the mesh several output fields share). */
    @SuppressWarnings("unchecked")
    public synchronized <T> T memo(String key, Supplier<T> compute) {
        return (T) memo.computeIfAbsent(key, k -> compute.get());
    }
}
