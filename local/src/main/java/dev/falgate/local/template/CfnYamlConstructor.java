package dev.falgate.local.template;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML: each short-form tag ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...})
 * becomes its long form ({@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}, ...), so the resolver only
 * knows one shape. Unquoted dates stay strings, as CloudFormation reads them.
 */
final class CfnYamlConstructor extends SafeConstructor {
    private static final Map<String, String> SHORT_FORMS = Map.ofEntries(
            Map.entry("!Ref", "Ref"),
            Map.entry("!Condition", "Condition"),
            Map.entry("!GetAtt", "Fn::GetAtt"),
            Map.entry("!Sub", "Fn::Sub"),
            Map.entry("!Join", "Fn::Join"),
            Map.entry("!If", "Fn::If"),
            Map.entry("!Equals", "Fn::Equals"),
            Map.entry("!Not", "Fn::Not"),
            Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"),
            Map.entry("!Select", "Fn::Select"),
            Map.entry("!Split", "Fn::Split"),
            Map.entry("!FindInMap", "Fn::FindInMap"),
            Map.entry("!Base64", "Fn::Base64"),
            Map.entry("!Cidr", "Fn::Cidr"),
            Map.entry("!GetAZs", "Fn::GetAZs"),
            Map.entry("!ImportValue", "Fn::ImportValue"),
            Map.entry("!Length", "Fn::Length"),
            Map.entry("!ToJsonString", "Fn::ToJsonString"));

    CfnYamlConstructor(LoaderOptions options) {
        super(options);
        SHORT_FORMS.forEach((tag, function) -> yamlConstructors.put(new Tag(tag), new LongForm(function)));
        yamlConstructors.put(Tag.TIMESTAMP, yamlConstructors.get(Tag.STR));
    }

    private final class LongForm extends AbstractConstruct {
        private final String function;

        LongForm(String function) {
            this.function = function;
        }

        @Override
        public Object construct(Node node) {
            Object value;
            if (node instanceof SequenceNode sequence) {
                value = constructSequence(sequence);
            } else if (node instanceof MappingNode mapping) {
                value = constructMapping(mapping);
            } else {
                value = constructScalar((ScalarNode) node);
            }
            if ("Fn::GetAtt".equals(function) && value instanceof String dotted) {
                value = List.of(dotted.split("\\.", 2));
            }
            return Map.of(function, value);
        }
    }
}
