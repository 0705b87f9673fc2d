package dev.ragline.ingest.source.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Addresses a server-side connection made on a tenant's behalf must not reach: loopback, private,
 * link-local (cloud metadata at 169.254.169.254), unique-local, multicast, unspecified and the other
 * special-purpose ranges below.
 */
public final class InternalAddresses {

    private InternalAddresses() {
    }

    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local (AWS metadata also answers on fd00:ec2::254). IPv4-mapped addresses
            // (::ffff:a.b.c.d) reach here already converted to IPv4 by InetAddress.
            return (bytes[0] & 0xfe) == 0xfc || isIpv4Compatible(bytes);
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 // "this network"
                || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19)) // benchmarking
                || first >= 240; // reserved and broadcast
    }

    /** An IP literal as an address (parsed, never looked up), a name as empty. */
    public static Optional<InetAddress> literal(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.contains(":")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host);
        }
    }

    /** ::a.b.c.d (deprecated IPv4-compatible form), which some stacks still route to the IPv4 address. */
    private static boolean isIpv4Compatible(byte[] bytes) {
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
