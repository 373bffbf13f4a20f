package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.falgate.local.LocalMain.Listener;
import dev.falgate.local.LocalMain.Options;
import dev.falgate.local.testing.FreePorts;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./falgate local}'s path (LocalMain's options, defaults but free ports, the embedded fal,
 * a state directory) started, then every listening socket on its five ports read from the
 * kernel's tables ({@code /proc/net/tcp}, {@code /proc/net/tcp6}): each is bound to loopback.
 * Nothing here connects anywhere.
 */
class LoopbackListenersTest {
    private static final String LISTEN = "0A";
    private static final Path[] SOCKET_TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};

    @Test
    void everyListenerOfTheLocalStackIsBoundToLoopbackOnly(@TempDir Path state) throws IOException {
        assumeThat(Path.of("/proc/net/tcp")).as("Linux socket tables").exists();
        Map<Listener, Integer> ports = freePorts();
        List<String> args = new ArrayList<>(List.of("--template", TestPaths.repoTemplate().toString()));
        ports.forEach((listener, port) -> args.addAll(List.of(listener.flag, Integer.toString(port))));
        Options options = Options.parse(args.toArray(String[]::new), Map.of()).withStateDir(state);

        Map<Integer, Set<InetAddress>> listening;
        try (LocalStack stack = LocalMain.start(options)) {
            listening = listeners(Set.copyOf(ports.values()));
        }

        assertThat(listening.keySet()).as("a listening socket on each port of " + ports)
                .containsExactlyInAnyOrderElementsOf(ports.values());
        listening.forEach((port, addresses) -> assertThat(addresses).as("port " + port + " of " + ports)
                .isNotEmpty().allMatch(InetAddress::isLoopbackAddress));
    }

    @Test
    void readsTheKernelsAddressColumn() throws IOException {
        assumeThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);

        assertThat(address("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address("00000000").isAnyLocalAddress()).isTrue();
        assertThat(address("00000000000000000000000001000000").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(address("0000000000000000FFFF00000100007F").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(address("00000000000000000000000000000000").isLoopbackAddress()).isFalse();
    }

    private static Map<Listener, Integer> freePorts() {
        Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
        List<Integer> free = FreePorts.distinct(Listener.values().length);
        for (Listener listener : Listener.values()) {
            ports.put(listener, free.get(listener.ordinal()));
        }
        return ports;
    }

    /** Local addresses of the sockets in LISTEN state on {@code ports}, by port. */
    static Map<Integer, Set<InetAddress>> listeners(Set<Integer> ports) throws IOException {
        Map<Integer, Set<InetAddress>> found = new HashMap<>();
        for (Path table : SOCKET_TABLES) {
            if (!Files.exists(table)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(table)) {
                for (String line : lines.skip(1).toList()) {
                    String[] fields = line.trim().split("\\s+");
                    String[] addressPort = fields[1].split(":");
                    int port = Integer.parseInt(addressPort[1], 16);
                    if (fields[3].equals(LISTEN) && ports.contains(port)) {
                        found.computeIfAbsent(port, p -> new HashSet<>()).add(address(addressPort[0]));
                    }
                }
            }
        }
        return found;
    }

    /** The kernel prints each 32-bit word of the address in the host's byte order. */
    static InetAddress address(String hex) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2);
        for (int i = 0; i < hex.length(); i += 8) {
            int word = (int) Long.parseLong(hex.substring(i, i + 8), 16);
            bytes.put(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(word).array());
        }
        return InetAddress.getByAddress(bytes.array());
    }
}
