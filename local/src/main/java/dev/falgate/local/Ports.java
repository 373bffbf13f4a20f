package dev.falgate.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port checks before starting, so a taken port fails in milliseconds rather than after the emulators start. */
final class Ports {
    private Ports() {
    }

    /** Whether a loopback listener could bind {@code port} now (false too when another socket holds it on every interface). */
    static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
