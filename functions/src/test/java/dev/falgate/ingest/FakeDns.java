package dev.falgate.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DNS of the tests: fixed answers per name, in turn when a name has several (the last one
 * repeats), and a count of lookups. Names it does not know do not resolve; it never asks the
 * real DNS.
 */
final class FakeDns implements SafeDnsResolver.Lookup {
    private final Map<String, Deque<InetAddress[]>> answers = new HashMap<>();
    private final Map<String, Integer> lookups = new ConcurrentHashMap<>();

    /** Each argument is one answer, written as IP literals separated by commas ("" for none). */
    FakeDns answer(String name, String... answersInTurn) {
        Deque<InetAddress[]> queue = new ArrayDeque<>();
        for (String answer : answersInTurn) {
            queue.add(answer.isEmpty() ? new InetAddress[0]
                    : List.of(answer.split(",")).stream().map(FakeDns::literal).toArray(InetAddress[]::new));
        }
        answers.put(name, queue);
        return this;
    }

    @Override
    public synchronized InetAddress[] lookup(String name) throws UnknownHostException {
        lookups.merge(name, 1, Integer::sum);
        Deque<InetAddress[]> queue = answers.get(name);
        if (queue == null) {
            throw new UnknownHostException(name);
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }

    int lookups(String name) {
        return lookups.getOrDefault(name, 0);
    }

    int totalLookups() {
        return lookups.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** An IP literal as an address; the JDK parses literals without any lookup. */
    static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip.contains(":") ? "[" + ip + "]" : ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
