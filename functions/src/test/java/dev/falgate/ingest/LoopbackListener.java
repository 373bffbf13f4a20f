package dev.falgate.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener on 127.0.0.1 and, where the machine has IPv6, on [::1] at the same port, that
 * counts the connections it accepts. Every URL the SSRF tests aim at it must leave the count at 0.
 */
final class LoopbackListener implements AutoCloseable {
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final int port;

    LoopbackListener() throws IOException {
        ServerSocket v4 = listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        port = v4.getLocalPort();
        try {
            listen(new InetSocketAddress(InetAddress.getByName("::1"), port));
        } catch (IOException noIpv6) {
            // the [::1] cases are still refused, the count just cannot see them
        }
    }

    private ServerSocket listen(InetSocketAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(address);
        sockets.add(server);
        Thread accepter = new Thread(() -> acceptUntilClosed(server), "loopback-listener");
        accepter.setDaemon(true);
        accepter.start();
        return server;
    }

    private void acceptUntilClosed(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket ignored = server.accept()) {
                accepted.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    int port() {
        return port;
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : sockets) {
            s.close();
        }
    }
}
