package dev.falgate.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One hosted model: its fal endpoint id, what it takes and what it returns.
 *
 * @param example the seed page's example input (as published; its URLs point at fal's CDN)
 * @param rules cross-field rules of the input (e.g. an interval's end not before its start)
 */
public record ModelSpec(
        String id,
        String title,
        Category category,
        String description,
        List<FieldSpec> inputs,
        List<OutputField> outputs,
        @JsonProperty("example_input") ObjectNode example,
        List<Rule> rules) {

    /** Fails on a rule naming a field the model does not take, or a {@code gte} rule over non-numbers. */
    public ModelSpec {
        rules = rules == null ? List.of() : List.copyOf(rules);
        for (Rule rule : rules) {
            for (String field : rule.fields()) {
                FieldSpec input = inputs.stream().filter(f -> f.name().equals(field)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(id + ": " + rule.kind() + " rule names unknown input " + field));
                if (rule.kind().equals("gte") && !List.of("integer", "float").contains(input.type())) {
                    throw new IllegalArgumentException(id + ": gte rule compares " + field + ", a " + input.type());
                }
            }
        }
    }

    /** A model with no cross-field rules. */
    public ModelSpec(String id, String title, Category category, String description, List<FieldSpec> inputs,
            List<OutputField> outputs, ObjectNode example) {
        this(id, title, category, description, inputs, outputs, example, List.of());
    }

    public Optional<FieldSpec> input(String name) {
        return inputs.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    @JsonIgnore
    public List<FieldSpec> fileInputs() {
        return inputs.stream().filter(FieldSpec::file).toList();
    }

    @JsonIgnore
    public List<OutputField> fileOutputs() {
        return outputs.stream().filter(OutputField::file).toList();
    }
}
