package dev.falgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Lambda code's packages form no cycle: each feature package can be read, tested and changed
 * without the ones that use it. The graph is jdeps' (the JDK's own class-file reader) over the
 * compiled classes. One edge is allowed back: handlers' no-argument constructors wire their
 * services through {@code dev.falgate.Services}, the composition root, which by its nature
 * depends on everything.
 */
class PackageGraphTest {
    private static final String ROOT = "dev.falgate";
    private static final Pattern EDGE = Pattern.compile("^\\s*(dev\\.falgate[\\w.]*)\\s+->\\s+(dev\\.falgate[\\w.]*)\\s");

    @Test
    void thePackagesFormNoCycle() {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).as("jdeps found falgate's packages").containsKeys("dev.falgate.submit", "dev.falgate.poller");
        assertThat(cycles(graph)).as("package cycles (each a strongly connected set)").isEmpty();
    }

    @Test
    void theCheckFindsACycleWhenThereIsOne() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
                "d", Set.of("a")));
        assertThat(cycles(graph)).containsExactly(new TreeSet<>(Set.of("a", "b", "c")));
    }

    /** Package to the falgate packages it uses, without edges into the composition root. */
    static Map<String, Set<String>> packageGraph() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes)).as(classes.toAbsolutePath() + " exists").isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-e", "dev\\.falgate\\..*", classes.toString());
        assertThat(status).as(out.toString()).isZero();
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2)) && !m.group(2).equals(ROOT)) {
                    graph.get(m.group(1)).add(m.group(2));
                }
            }
        }
        return graph;
    }

    /** Tarjan's strongly connected components of more than one package. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> found = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<Set<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                found.add(component);
            }
        }
    }
}
