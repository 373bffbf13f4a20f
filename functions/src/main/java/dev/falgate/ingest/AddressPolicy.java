package dev.falgate.ingest;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Which IP addresses a fetch may connect to: only publicly routable unicast. Works on the
 * address bytes, never on text, so no spelling of an address can change the answer.
 *
 * <p>IPv4 is a block list: the IANA special-purpose ranges that are not globally reachable,
 * plus multicast and everything from 240/4 up (reserved and the broadcast address). IPv6 is an
 * allow list: only 2000::/3 is global unicast, so everything outside it (loopback, unique
 * local, link local, site local, multicast, IPv4-compatible, discard, SRv6) is refused; inside it
 * the IETF protocol block (Teredo, benchmarking, ORCHID) and both documentation blocks are
 * refused. Forms that carry an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16)
 * are judged by the IPv4 address they carry, so {@code ::ffff:127.0.0.1} is loopback while
 * NAT64 to a public address still works on an IPv6-only network.
 */
public final class AddressPolicy {

    /** Why an address is refused, or {@link #PUBLIC} when it is not. For logs and tests only. */
    public enum Kind {
        PUBLIC, UNSPECIFIED, LOOPBACK, PRIVATE, CARRIER_NAT, LINK_LOCAL, MULTICAST, RESERVED;

        public boolean isPublic() {
            return this == PUBLIC;
        }
    }

    private record Block(byte[] prefix, int bits, Kind kind) {
        boolean contains(byte[] address) {
            int wholeBytes = bits / 8;
            for (int i = 0; i < wholeBytes; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int restBits = bits % 8;
            int mask = (0xff << (8 - restBits)) & 0xff;
            return restBits == 0 || (address[wholeBytes] & mask) == (prefix[wholeBytes] & mask);
        }
    }

    private static final List<Block> IPV4_BLOCKS = List.of(
            v4(Kind.UNSPECIFIED, 8, 0, 0, 0, 0),          // "this network", 0.0.0.0
            v4(Kind.PRIVATE, 8, 10, 0, 0, 0),
            v4(Kind.CARRIER_NAT, 10, 100, 64, 0, 0),      // shared address space, RFC 6598
            v4(Kind.LOOPBACK, 8, 127, 0, 0, 0),
            v4(Kind.LINK_LOCAL, 16, 169, 254, 0, 0),      // holds 169.254.169.254, cloud metadata
            v4(Kind.PRIVATE, 12, 172, 16, 0, 0),
            v4(Kind.RESERVED, 24, 192, 0, 0, 0),          // IETF protocol assignments (DS-Lite, ...)
            v4(Kind.RESERVED, 24, 192, 0, 2, 0),          // TEST-NET-1
            v4(Kind.RESERVED, 24, 192, 88, 99, 0),        // 6to4 relay anycast, deprecated
            v4(Kind.PRIVATE, 16, 192, 168, 0, 0),
            v4(Kind.RESERVED, 15, 198, 18, 0, 0),         // benchmarking
            v4(Kind.RESERVED, 24, 198, 51, 100, 0),       // TEST-NET-2
            v4(Kind.RESERVED, 24, 203, 0, 113, 0),        // TEST-NET-3
            v4(Kind.MULTICAST, 4, 224, 0, 0, 0),
            v4(Kind.RESERVED, 4, 240, 0, 0, 0));          // future use and 255.255.255.255

    private static final Block IPV6_UNSPECIFIED = v6(Kind.UNSPECIFIED, 128);
    private static final Block IPV6_LOOPBACK = v6(Kind.LOOPBACK, 128, 0, 0, 0, 0, 0, 0, 0, 1);
    /** Blocks whose last four bytes are an IPv4 address, which decides. */
    private static final Block IPV4_MAPPED = v6(Kind.PUBLIC, 96, 0, 0, 0, 0, 0, 0xffff);
    private static final Block NAT64 = v6(Kind.PUBLIC, 96, 0x64, 0xff9b);
    /** 6to4 carries its IPv4 address in bytes 2 to 5. */
    private static final Block SIX_TO_FOUR = v6(Kind.PUBLIC, 16, 0x2002);
    private static final Block GLOBAL_UNICAST = v6(Kind.PUBLIC, 3, 0x2000);
    private static final List<Block> IPV6_BLOCKS_OUTSIDE_GLOBAL = List.of(
            v6(Kind.PRIVATE, 7, 0xfc00),                  // unique local, holds AWS's fd00:ec2::254
            v6(Kind.LINK_LOCAL, 10, 0xfe80),
            v6(Kind.PRIVATE, 10, 0xfec0),                 // site local, deprecated
            v6(Kind.MULTICAST, 8, 0xff00));
    private static final List<Block> IPV6_BLOCKS_INSIDE_GLOBAL = List.of(
            v6(Kind.RESERVED, 23, 0x2001),                // IETF protocol assignments, Teredo
            v6(Kind.RESERVED, 32, 0x2001, 0x0db8),        // documentation
            v6(Kind.RESERVED, 20, 0x3fff));               // documentation, RFC 9637

    private AddressPolicy() {
    }

    public static boolean isPublic(InetAddress address) {
        return classify(address).isPublic();
    }

    public static Kind classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? classifyV4(bytes) : classifyV6(bytes);
    }

    private static Kind classifyV4(byte[] bytes) {
        return firstMatch(IPV4_BLOCKS, bytes, Kind.PUBLIC);
    }

    private static Kind classifyV6(byte[] bytes) {
        if (IPV6_UNSPECIFIED.contains(bytes)) {
            return Kind.UNSPECIFIED;
        }
        if (IPV6_LOOPBACK.contains(bytes)) {
            return Kind.LOOPBACK;
        }
        if (IPV4_MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return classifyV4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return classifyV4(Arrays.copyOfRange(bytes, 2, 6));
        }
        if (!GLOBAL_UNICAST.contains(bytes)) {
            return firstMatch(IPV6_BLOCKS_OUTSIDE_GLOBAL, bytes, Kind.RESERVED);
        }
        return firstMatch(IPV6_BLOCKS_INSIDE_GLOBAL, bytes, Kind.PUBLIC);
    }

    private static Kind firstMatch(List<Block> blocks, byte[] bytes, Kind otherwise) {
        return blocks.stream().filter(b -> b.contains(bytes)).map(Block::kind).findFirst().orElse(otherwise);
    }

    private static Block v4(Kind kind, int bits, int a, int b, int c, int d) {
        return new Block(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, bits, kind);
    }

    /** An IPv6 block from its leading 16-bit groups; the groups not given are zero. */
    private static Block v6(Kind kind, int bits, int... groups) {
        byte[] prefix = new byte[16];
        for (int i = 0; i < groups.length; i++) {
            prefix[2 * i] = (byte) (groups[i] >>> 8);
            prefix[2 * i + 1] = (byte) groups[i];
        }
        return new Block(prefix, bits, kind);
    }
}
