package dev.falgate.local.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The template as JSON, intrinsics in their long form ({@code Fn::GetAtt} as a list): what tools that read JSON take. */
public final class TemplateJson {
    private TemplateJson() {
    }

    public static String of(Path template) throws IOException {
        Object root = new Yaml(new CfnYamlConstructor(new LoaderOptions())).load(Files.readString(template));
        return new ObjectMapper().writeValueAsString(longForm(root));
    }

    private static Object longForm(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), k.equals("Fn::GetAtt") && v instanceof String s
                    ? List.of(s.split("\\.", 2)) : longForm(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(TemplateJson::longForm).toList();
        }
        return node;
    }
}
