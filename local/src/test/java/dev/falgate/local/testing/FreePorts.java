package dev.falgate.local.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports free right now, for a stack started with explicit ports (never the fixed defaults). */
public final class FreePorts {
    private FreePorts() {
    }

    /** {@code count} different ports: all held open together, then released. */
    public static List<Integer> distinct(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a socket that will not close still freed its number for our purpose
                }
            }
        }
    }
}
