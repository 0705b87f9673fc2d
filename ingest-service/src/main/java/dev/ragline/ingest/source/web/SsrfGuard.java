package dev.ragline.ingest.source.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;

/**
 * Refuses URLs whose host resolves to an address a server-side fetch must not reach: loopback,
 * private, link-local (cloud metadata at 169.254.169.254), unique-local, multicast or unspecified.
 * Checked after DNS resolution, on the first request and on every redirect. Hosts in
 * {@code rake.scrape.allowed-hosts} are exempt, as written in the URL: an allow-listed 127.0.0.1 does not
 * let {@code localhost} or any name resolving to it through.
 */
@ApplicationScoped
public class SsrfGuard {

    private final Set<String> allowedHosts;

    SsrfGuard(IngestConfig config) {
        this.allowedHosts = config.scrape().allowedHosts().orElse(List.of()).stream()
                .map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    public static class RefusedUrl extends Exception {
        public RefusedUrl(String message) {
            super(message);
        }
    }

    public void check(URI url) throws RefusedUrl {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrl("only http and https URLs are fetched: " + url);
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new RefusedUrl("URL without a host: " + url);
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bareHost);
        } catch (UnknownHostException e) {
            throw new RefusedUrl("unknown host " + bareHost);
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new RefusedUrl(bareHost + " resolves to the internal address " + address.getHostAddress());
            }
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local (AWS metadata also answers on fd00:ec2::254)
            return (bytes[0] & 0xfe) == 0xfc;
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 // "this network"
                || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (first == 198 && (second == 18 || second == 19)); // benchmarking
    }
}
