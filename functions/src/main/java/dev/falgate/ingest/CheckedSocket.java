package dev.falgate.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.Predicate;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/**
 * The sockets HttpClient connects with. Each checks its target once more just before the
 * connect: a resolved address the resolver would allow, never a name the JDK would look up
 * itself. The resolver already made that check; this one holds even if some path inside the
 * library skipped the resolver, so "only checked addresses are connected to" does not rest on
 * the library's internals. TLS is layered over this socket, so https is covered too.
 */
class CheckedSocket extends Socket {
    private final Predicate<InetAddress> mayConnect;

    CheckedSocket(Predicate<InetAddress> mayConnect) {
        this.mayConnect = mayConnect;
    }

    /** A factory for HttpClient's connection operator; it refuses SOCKS proxies outright. */
    static DetachedSocketFactory factory(Predicate<InetAddress> mayConnect) {
        return proxy -> {
            if (proxy != null) {
                throw new RefusedHostException("proxies are not used", "socks proxy configured");
            }
            return new CheckedSocket(mayConnect);
        };
    }

    @Override
    public final void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress target) || target.isUnresolved()) {
            throw new RefusedHostException("the host is not allowed", "unresolved connect target");
        }
        if (!mayConnect.test(target.getAddress())) {
            throw RefusedHostException.forAddress(AddressPolicy.classify(target.getAddress()));
        }
        dial(target, timeout);
    }

    /** The real connect, after the check. Tests override it to record targets and stay on loopback. */
    void dial(InetSocketAddress target, int timeout) throws IOException {
        super.connect(target, timeout);
    }
}
