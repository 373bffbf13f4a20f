package dev.falgate.local.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Null-tolerant views of parsed YAML: an absent section reads as empty. */
final class Yamls {
    private Yamls() {
    }

    static Map<String, Object> map(Object node) {
        if (node == null) {
            return Map.of();
        }
        if (!(node instanceof Map<?, ?> m)) {
            throw new TemplateException("expected a mapping, got " + node);
        }
        return stringKeys(m);
    }

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static List<?> list(Object node) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof List<?> l)) {
            throw new TemplateException("expected a list, got " + node);
        }
        return l;
    }

    static List<String> strings(Object node) {
        if (node instanceof String s) {
            return List.of(s);
        }
        return list(node).stream().map(String::valueOf).toList();
    }

    static String string(Object mapNode, String key) {
        Object value = map(mapNode).get(key);
        if (value == null) {
            throw new TemplateException("missing " + key + " in " + mapNode);
        }
        return String.valueOf(value);
    }
}
