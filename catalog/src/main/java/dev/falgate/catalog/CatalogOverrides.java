package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
 * title, a category, maybe a better description, patches to input fields (their
 * {@code constraints} among them), output fields and the example input, and cross-field
 * {@link Rule}s. Every entry carries a {@code why}; one naming a model or field the seeds do not
 * have, a property or constraint the catalog does not know, or an unknown rule kind is an error,
 * so the file cannot silently rot.
 */
final class CatalogOverrides {
    static final String RESOURCE = "/falgate/catalog-overrides.json";

    record OverridesFile(String about, List<ModelOverride> models) {
    }

    /** @param rules cross-field rules added to the model; each says why (a {@link Rule} cannot be built without) */
    record ModelOverride(String model, String title, String category, String description, String why,
            List<FieldPatch> inputs, List<FieldPatch> outputs,
            @JsonProperty("example_input") ExamplePatch exampleInput, List<Rule> rules) {

        ModelOverride {
            inputs = inputs == null ? List.of() : inputs;
            outputs = outputs == null ? List.of() : outputs;
            rules = rules == null ? List.of() : rules;
        }

        /** Every reason given, for the model entry, each patch and each rule. */
        Stream<String> reasons() {
            Stream<String> patches = Stream.concat(inputs.stream(), outputs.stream()).map(FieldPatch::why);
            Stream<String> example = exampleInput == null ? Stream.of() : Stream.of(exampleInput.why());
            return Stream.of(Stream.of(why), patches, example, rules.stream().map(Rule::why)).flatMap(s -> s);
        }
    }

    /**
     * Sets the given properties (as serialized: {@code required}, {@code file_kind},
     * {@code constraints}...) on the fields. Two patches of one field may each set some
     * constraints, but no property or constraint twice.
     */
    record FieldPatch(List<String> fields, ObjectNode set, String why) {
    }

    /** Top-level merge into the example input: a {@code null} value removes the key. */
    record ExamplePatch(ObjectNode merge, String why) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private static final String CONSTRAINTS = "constraints";
    /** The properties a patch may set, as catalog.json spells them. */
    private static final Set<String> INPUT_PROPERTIES =
            properties(new FieldSpec("f", "string", false, null, null, "", false, null, null, "a reason"));
    private static final Set<String> OUTPUT_PROPERTIES = properties(new OutputField("f", "file", false, true, ""));

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
            // e.g. a rule of unknown kind: say which, not only that the file could not be read
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + root.getMessage(), e);
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
        o.inputs().forEach(p -> requireKnownProperties(o.model(), p, INPUT_PROPERTIES));
        o.outputs().forEach(p -> requireKnownProperties(o.model(), p, OUTPUT_PROPERTIES));
    }

    /** A misspelt property or constraint fails here, when the file is read, not when it is applied. */
    private static void requireKnownProperties(String model, FieldPatch p, Set<String> known) {
        if (p.fields() == null || p.fields().isEmpty() || p.set() == null || p.set().isEmpty()) {
            throw new IllegalArgumentException(model + ": a field patch needs fields and something to set");
        }
        p.set().properties().forEach(e -> {
            if (e.getKey().equals("name") || !known.contains(e.getKey())) {
                throw new IllegalArgumentException(model + " " + p.fields() + ": cannot set '" + e.getKey()
                        + "' (settable: " + known.stream().filter(k -> !k.equals("name")).sorted().toList() + ")");
            }
        });
        JsonNode constraints = p.set().get(CONSTRAINTS);
        if (constraints != null) {
            if (!constraints.isObject()) {
                throw new IllegalArgumentException(model + " " + p.fields() + ": constraints must be an object");
            }
            try {
                JSON.treeToValue(constraints, FieldConstraints.class);
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(model + " " + p.fields() + ": bad constraints " + constraints
                        + " (known: " + properties(new FieldConstraints(0d, 0d, 0, 1, 1, 1L, 1L, 1)) + "): "
                        + e.getMessage(), e);
            }
        }
    }

    private static Set<String> properties(Object record) {
        Set<String> names = new java.util.TreeSet<>();
        JSON.valueToTree(record).fieldNames().forEachRemaining(names::add);
        return names;
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

    /** The model as overridden; its constructor fails on a rule naming an input it does not have. */
    private static ModelSpec apply(ModelSpec seed, ModelOverride o) {
        return new ModelSpec(seed.id(), o.title(), Category.fromId(o.category()),
                o.description() != null ? o.description() : seed.description(),
                patch(seed.id(), seed.inputs(), FieldSpec::name, o.inputs(), FieldSpec.class),
                patch(seed.id(), seed.outputs(), OutputField::name, o.outputs(), OutputField.class),
                merge(seed, o.exampleInput()),
                Stream.concat(seed.rules().stream(), o.rules().stream()).toList());
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

    /**
     * Round-trips the record through its JSON form, so a misspelt property fails loudly. The
     * constraints of several patches are merged; any property or constraint set twice is an error.
     */
    private static <T> T patched(T item, String name, List<FieldPatch> patches, Class<T> type) {
        ObjectNode node = JSON.valueToTree(item);
        Set<String> set = new java.util.HashSet<>();
        patches.stream().filter(p -> p.fields().contains(name)).forEach(p -> p.set().properties().forEach(e -> {
            if (e.getKey().equals("name")) {
                throw new IllegalArgumentException("an override cannot rename field " + name);
            }
            if (e.getKey().equals(CONSTRAINTS) && node.get(CONSTRAINTS) instanceof ObjectNode earlier) {
                e.getValue().properties().forEach(c -> {
                    if (earlier.has(c.getKey())) {
                        throw new IllegalArgumentException(name + ": constraint " + c.getKey() + " set twice");
                    }
                    earlier.set(c.getKey(), c.getValue());
                });
            } else if (!set.add(e.getKey())) {
                throw new IllegalArgumentException(name + ": " + e.getKey() + " set twice");
            } else {
                node.set(e.getKey(), e.getValue().deepCopy());
            }
        }));
        try {
            return JSON.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
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
