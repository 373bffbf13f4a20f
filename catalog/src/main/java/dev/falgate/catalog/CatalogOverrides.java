package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reviewed corrections and additions to the seed pages ({@value #RESOURCE}): per model a
 * title, a category, maybe a better description, and patches to input fields, output fields and
 * the example input. Every entry carries a {@code why}; one naming a model or field the seeds do
 * not have is an error, so the file cannot silently rot.
 */
final class CatalogOverrides {
    static final String RESOURCE = "/falgate/catalog-overrides.json";

    record OverridesFile(String about, List<ModelOverride> models) {
    }

    record ModelOverride(String model, String title, String category, String description, String why,
            List<FieldPatch> inputs, List<FieldPatch> outputs,
            @JsonProperty("example_input") ExamplePatch exampleInput) {

        ModelOverride {
            inputs = inputs == null ? List.of() : inputs;
            outputs = outputs == null ? List.of() : outputs;
        }

        /** Every reason given, for the model entry and each patch. */
        Stream<String> reasons() {
            Stream<String> patches = Stream.concat(inputs.stream(), outputs.stream()).map(FieldPatch::why);
            Stream<String> example = exampleInput == null ? Stream.of() : Stream.of(exampleInput.why());
            return Stream.of(Stream.of(why), patches, example).flatMap(s -> s);
        }
    }

    /** Sets the given properties (as serialized: {@code required}, {@code file_kind}...) on the fields. */
    record FieldPatch(List<String> fields, ObjectNode set, String why) {
    }

    /** Top-level merge into the example input: a {@code null} value removes the key. */
    record ExamplePatch(ObjectNode merge, String why) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final List<ModelOverride> models;

    private CatalogOverrides(List<ModelOverride> models) {
        this.models = List.copyOf(models);
        models.forEach(CatalogOverrides::requireComplete);
    }

    static CatalogOverrides standard() {
        return load(CatalogOverrides.class.getResourceAsStream(RESOURCE));
    }

    static CatalogOverrides load(InputStream json) {
        if (json == null) {
            throw new IllegalStateException("overrides resource missing: " + RESOURCE);
        }
        try (json) {
            return new CatalogOverrides(JSON.readValue(json, OverridesFile.class).models());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    List<ModelOverride> models() {
        return models;
    }

    /** The seed models with their overrides applied, in seed order. */
    List<ModelSpec> apply(List<ModelSpec> seeds) {
        Map<String, ModelOverride> byModel = indexByModel(seeds);
        return seeds.stream().map(m -> apply(m, byModel.get(m.id()))).toList();
    }

    private static void requireComplete(ModelOverride o) {
        if (o.model() == null || o.title() == null || o.category() == null) {
            throw new IllegalArgumentException("override needs model, title and category: " + o);
        }
        Category.fromId(o.category());
        if (o.reasons().anyMatch(why -> why == null || why.isBlank())) {
            throw new IllegalArgumentException(o.model() + ": every override needs a why");
        }
    }

    /** One override per seed model: each needs its category, and each override its model. */
    private Map<String, ModelOverride> indexByModel(List<ModelSpec> seeds) {
        Map<String, ModelOverride> byModel = new HashMap<>();
        models.forEach(o -> {
            if (byModel.put(o.model(), o) != null) {
                throw new IllegalArgumentException("two overrides for " + o.model());
            }
        });
        Set<String> seedIds = seeds.stream().map(ModelSpec::id).collect(Collectors.toSet());
        Set<String> unknown = without(byModel.keySet(), seedIds);
        Set<String> uncovered = without(seedIds, byModel.keySet());
        if (!unknown.isEmpty() || !uncovered.isEmpty()) {
            throw new IllegalArgumentException("overrides for unknown models " + unknown
                    + "; models without title and category " + uncovered);
        }
        return byModel;
    }

    private static ModelSpec apply(ModelSpec seed, ModelOverride o) {
        return new ModelSpec(seed.id(), o.title(), Category.fromId(o.category()),
                o.description() != null ? o.description() : seed.description(),
                patch(seed.id(), seed.inputs(), FieldSpec::name, o.inputs(), FieldSpec.class),
                patch(seed.id(), seed.outputs(), OutputField::name, o.outputs(), OutputField.class),
                merge(seed, o.exampleInput()));
    }

    private static <T> List<T> patch(String model, List<T> items, Function<T, String> nameOf,
            List<FieldPatch> patches, Class<T> type) {
        Set<String> names = items.stream().map(nameOf).collect(Collectors.toSet());
        patches.stream().flatMap(p -> p.fields().stream()).filter(n -> !names.contains(n)).findFirst()
                .ifPresent(n -> {
                    throw new IllegalArgumentException(model + ": override names unknown field " + n);
                });
        return items.stream().map(item -> patched(item, nameOf.apply(item), patches, type)).toList();
    }

    /** Round-trips the record through its JSON form, so a misspelt property fails loudly. */
    private static <T> T patched(T item, String name, List<FieldPatch> patches, Class<T> type) {
        ObjectNode node = JSON.valueToTree(item);
        patches.stream().filter(p -> p.fields().contains(name)).forEach(p -> {
            if (p.set().has("name")) {
                throw new IllegalArgumentException("an override cannot rename field " + name);
            }
            node.setAll(p.set());
        });
        return JSON.convertValue(node, type);
    }

    private static ObjectNode merge(ModelSpec seed, ExamplePatch patch) {
        if (patch == null) {
            return seed.example();
        }
        ObjectNode merged = seed.example().deepCopy();
        patch.merge().properties().forEach(entry -> {
            if (seed.input(entry.getKey()).isEmpty()) {
                throw new IllegalArgumentException(seed.id() + ": example override names unknown input "
                        + entry.getKey());
            }
            if (entry.getValue().isNull()) {
                merged.remove(entry.getKey());
            } else {
                merged.set(entry.getKey(), entry.getValue());
            }
        });
        return merged;
    }

    private static Set<String> without(Set<String> all, Set<String> removed) {
        return all.stream().filter(s -> !removed.contains(s)).collect(Collectors.toSet());
    }
}
