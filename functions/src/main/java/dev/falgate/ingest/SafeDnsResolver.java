package dev.falgate.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;

/**
 * HttpClient's only way to turn a host into addresses, and the SSRF check: every address a
 * name resolves to is classified by {@link AddressPolicy}, and the checked addresses are the
 * ones returned, so the client connects to the very address that was checked. There is no
 * second lookup between the check and the connect, which makes DNS rebinding (public when
 * checked, internal when connected) harmless.
 *
 * <p>A name is refused when <em>any</em> of its addresses is not public, rather than being
 * filtered down to the public ones: a public name that also answers 127.0.0.1 is misconfigured
 * or an attack, and refusing it keeps the rule simple to state and to test. A name with no
 * address at all is an {@link UnknownHostException} (unreachable, not refused).
 *
 * <p>Tests and the local stack can let explicitly named hosts through to 127.0.0.1 with
 * {@link #allowingLoopbackHosts}; off by default, only loopback, and never an IP literal.
 */
public final class SafeDnsResolver implements DnsResolver {
    /** 127.0.0.1 itself: {@link InetAddress#getLoopbackAddress()} may answer ::1 instead. */
    private static final InetAddress LOOPBACK = loopbackV4();

    /** The lookup behind the resolver: the system's by default, a fake one in tests. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] lookup(String name) throws UnknownHostException;
    }

    private final Lookup lookup;
    private final Set<String> loopbackHosts;
    /** Loopback addresses pass too (the local stack's webhook targets); never on AWS. */
    private final boolean loopbackAddresses;

    /** Production: the system resolver, no exceptions. */
    public SafeDnsResolver() {
        this(InetAddress::getAllByName);
    }

    public SafeDnsResolver(Lookup lookup) {
        this(lookup, Set.of());
    }

    private SafeDnsResolver(Lookup lookup, Set<String> loopbackHosts) {
        this(lookup, loopbackHosts, false);
    }

    private SafeDnsResolver(Lookup lookup, Set<String> loopbackHosts, boolean loopbackAddresses) {
        this.lookup = lookup;
        this.loopbackHosts = loopbackHosts;
        this.loopbackAddresses = loopbackAddresses;
    }

    /**
     * A resolver that also lets loopback addresses through (127.0.0.0/8, ::1, and names that
     * resolve only to them), everything else judged as before. For {@code ./falgate local}'s
     * webhook targets only (FALGATE_WEBHOOK_ALLOW_LOOPBACK): a deployed stack must never call it.
     */
    public SafeDnsResolver allowingLoopbackAddresses() {
        return new SafeDnsResolver(lookup, loopbackHosts, true);
    }

    /**
     * A resolver that also answers 127.0.0.1 for exactly these DNS names, without a lookup.
     * For tests and the local stack only: production must never call it.
     */
    public SafeDnsResolver allowingLoopbackHosts(Set<String> names) {
        return new SafeDnsResolver(lookup, names.stream().map(SafeDnsResolver::dnsNameOnly).collect(Collectors.toUnmodifiableSet()),
                loopbackAddresses);
    }

    private static String dnsNameOnly(String name) {
        try {
            if (HostSyntax.parse(name) instanceof HostSyntax.DnsName dns) {
                return dns.name();
            }
        } catch (HostSyntax.InvalidHost e) {
            // falls through to the refusal below
        }
        throw new IllegalArgumentException("not a DNS name: " + name);
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        HostSyntax.Host parsed = parse(host);
        if (parsed instanceof HostSyntax.IpLiteral ip) {
            return checked(new InetAddress[] {ip.address()});
        }
        String name = ((HostSyntax.DnsName) parsed).name();
        if (loopbackHosts.contains(name)) {
            return new InetAddress[] {LOOPBACK};
        }
        return checked(lookup.lookup(name));
    }

    /**
     * Overridden, not inherited, so that pinning never depends on the library's default: the
     * addresses connected to are exactly those {@link #resolve(String)} checked.
     */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host)).map(a -> new InetSocketAddress(a, port)).toList();
    }

    /** Only SPNEGO/Kerberos asks for this, and the fetcher disables authentication: no lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /**
     * Whether a socket may connect to this address: the fetcher's last check, just before the
     * connect. Loopback passes only when some host was explicitly allowed to resolve to it.
     */
    boolean mayConnectTo(InetAddress address) {
        return AddressPolicy.isPublic(address)
                || ((loopbackAddresses || !loopbackHosts.isEmpty()) && address.isLoopbackAddress());
    }

    private static HostSyntax.Host parse(String host) throws RefusedHostException {
        try {
            return HostSyntax.parse(host);
        } catch (HostSyntax.InvalidHost e) {
            throw new RefusedHostException(e.getMessage(), "invalid host");
        }
    }

    /** All addresses public, or the whole answer is refused; a copy, so nothing can swap one later. */
    private InetAddress[] checked(InetAddress[] addresses) throws UnknownHostException {
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException("the host name has no address");
        }
        InetAddress[] copy = addresses.clone();
        for (InetAddress address : copy) {
            AddressPolicy.Kind kind = AddressPolicy.classify(address);
            if (!kind.isPublic() && !(loopbackAddresses && kind == AddressPolicy.Kind.LOOPBACK)) {
                throw RefusedHostException.forAddress(kind);
            }
        }
        return copy;
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    @Override
    public String toString() {
        return "SafeDnsResolver" + (loopbackHosts.isEmpty() ? "" : " (loopback allowed for " + loopbackHosts + ")");
    }
}
