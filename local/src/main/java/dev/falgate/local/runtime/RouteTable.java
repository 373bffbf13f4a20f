package dev.falgate.local.runtime;

import dev.falgate.local.template.HttpRouteDef;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway HTTP API route selection: the most specific route wins. Segment by segment a literal
 * beats a {@code {param}}, which beats a greedy {@code {proxy+}}; a route for the exact method beats
 * {@code ANY}. No route matches: the {@code $default} route if there is one, else the caller answers 404.
 */
public final class RouteTable {
    private final List<CompiledRoute> routes;
    private final Optional<HttpRouteDef> defaultRoute;

    public RouteTable(List<HttpRouteDef> routes) {
        this.routes = routes.stream().filter(r -> !r.isDefault()).map(CompiledRoute::new).toList();
        this.defaultRoute = routes.stream().filter(HttpRouteDef::isDefault).findFirst();
    }

    public record Match(HttpRouteDef route, Map<String, String> pathParameters) {
    }

    /** {@code path} is the raw (still percent-encoded) request path. */
    public Optional<Match> match(String method, String path) {
        List<String> segments = segments(path);
        return routes.stream()
                .filter(r -> r.acceptsMethod(method))
                .filter(r -> r.matches(segments))
                .max(Comparator.comparing((CompiledRoute r) -> r.specificity(segments)).thenComparing(r -> r.exactMethod))
                .map(r -> new Match(r.definition, r.parameters(segments)))
                .or(() -> defaultRoute.map(r -> new Match(r, Map.of())));
    }

    static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    private static final class CompiledRoute {
        private final HttpRouteDef definition;
        private final List<String> pattern;
        private final boolean greedy;
        private final boolean exactMethod;

        CompiledRoute(HttpRouteDef definition) {
            this.definition = definition;
            this.pattern = segments(definition.path());
            this.greedy = !pattern.isEmpty() && pattern.get(pattern.size() - 1).endsWith("+}");
            this.exactMethod = !definition.method().equals("ANY");
        }

        boolean acceptsMethod(String method) {
            return !exactMethod || definition.method().equalsIgnoreCase(method);
        }

        boolean matches(List<String> path) {
            int fixed = greedy ? pattern.size() - 1 : pattern.size();
            if (greedy ? path.size() <= fixed : path.size() != fixed) {
                return false;
            }
            for (int i = 0; i < fixed; i++) {
                String p = pattern.get(i);
                if (isParameter(p) ? path.get(i).isEmpty() : !p.equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Per segment: 2 literal, 1 parameter, 0 greedy; compared as a string, left to right. */
        String specificity(List<String> path) {
            StringBuilder score = new StringBuilder();
            for (int i = 0; i < path.size(); i++) {
                score.append(i >= pattern.size() || pattern.get(i).endsWith("+}") ? '0'
                        : isParameter(pattern.get(i)) ? '1' : '2');
            }
            return score.toString();
        }

        Map<String, String> parameters(List<String> path) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < pattern.size(); i++) {
                String p = pattern.get(i);
                if (p.endsWith("+}")) {
                    params.put(name(p).replace("+", ""), PercentDecoding.decodePath(
                            String.join("/", path.subList(i, path.size()))));
                } else if (isParameter(p)) {
                    params.put(name(p), PercentDecoding.decodePath(path.get(i)));
                }
            }
            return params;
        }

        private static boolean isParameter(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }

        private static String name(String segment) {
            return segment.substring(1, segment.length() - 1);
        }
    }
}
