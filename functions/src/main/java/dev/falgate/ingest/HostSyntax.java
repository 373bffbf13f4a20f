package dev.falgate.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict parsing of a URL's host: a DNS name, a dotted-quad IPv4 address or a bracketed IPv6
 * address, nothing else.
 *
 * <p>Numeric hosts in any other spelling ({@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}, {@code 127.1}) are refused, not normalised: parsers disagree on them (the
 * JDK reads {@code 0177.0.0.1} as 177.0.0.1, inet_aton as 127.0.0.1), and a URL that means
 * different things to different parsers is how SSRF filters are bypassed. Like browsers (WHATWG
 * URL), a host whose last label is a number or starts with {@code 0x} counts as numeric.
 */
final class HostSyntax {
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+");
    private static final int MAX_NAME_LENGTH = 253;

    /** A parsed host: an IP literal (no lookup needed) or a lower-case DNS name. */
    sealed interface Host permits IpLiteral, DnsName {
    }

    record IpLiteral(InetAddress address) implements Host {
    }

    record DnsName(String name) implements Host {
    }

    /** Thrown for a host that is not in one of the accepted forms; the message says why. */
    static final class InvalidHost extends Exception {
        InvalidHost(String message) {
            super(message);
        }
    }

    private HostSyntax() {
    }

    /** Parses a host as found in a URL's authority; IPv6 may come with or without brackets. */
    static Host parse(String host) throws InvalidHost {
        if (host == null || host.isEmpty()) {
            throw new InvalidHost("the URL names no host");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            return ipv6(lower.substring(1, lower.length() - 1));
        }
        if (lower.contains(":")) {
            return ipv6(lower);
        }
        return endsInNumber(lower) ? ipv4(lower) : dnsName(lower);
    }

    private static boolean endsInNumber(String host) {
        String lastLabel = host.substring(host.lastIndexOf('.') + 1);
        return NUMERIC_LABEL.matcher(lastLabel).matches();
    }

    private static Host ipv4(String host) throws InvalidHost {
        if (!DOTTED_QUAD.matcher(host).matches()) {
            throw new InvalidHost("a numeric host must be written as four decimal numbers without leading zeros, like 93.184.216.34");
        }
        String[] parts = host.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return new IpLiteral(fromBytes(bytes));
    }

    /**
     * Only the characters of an address (so no zone id, no percent-encoding), and an embedded
     * IPv4 tail in the same strict spelling as a plain one. The JDK parses the rest: given
     * brackets, {@link InetAddress#getByName} treats the text as a literal and never asks DNS.
     */
    private static Host ipv6(String text) throws InvalidHost {
        String embeddedV4 = text.substring(text.lastIndexOf(':') + 1);
        boolean tailOk = !embeddedV4.contains(".") || DOTTED_QUAD.matcher(embeddedV4).matches();
        if (!IPV6_CHARS.matcher(text).matches() || !tailOk) {
            throw new InvalidHost("not a valid IPv6 address");
        }
        try {
            return new IpLiteral(InetAddress.getByName("[" + text + "]"));
        } catch (UnknownHostException e) {
            throw new InvalidHost("not a valid IPv6 address");
        }
    }

    private static Host dnsName(String host) throws InvalidHost {
        if (host.length() > MAX_NAME_LENGTH || !allLabelsValid(host)) {
            throw new InvalidHost("not a valid host name (letters, digits and hyphens; international names in their xn-- form)");
        }
        return new DnsName(host);
    }

    /** Every dot-separated label non-empty, so a trailing dot or {@code a..b} is refused too. */
    private static boolean allLabelsValid(String host) {
        for (String label : host.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }
}
