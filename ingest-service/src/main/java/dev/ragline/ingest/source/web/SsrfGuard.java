package dev.ragline.ingest.source.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.source.net.HostResolver;
import dev.ragline.ingest.source.net.InternalAddresses;

/**
 * Refuses what a server-side fetch must not reach: anything but http(s), and hosts resolving to loopback,
 * private, link-local (cloud metadata at 169.254.169.254), unique-local, multicast, unspecified or other
 * special-purpose addresses. {@link #vet} is the only DNS lookup a fetch's connection makes ({@link GuardedHttp}
 * connects to exactly what it returns), so a name cannot answer one address to the check and another to the
 * connection. Entries of {@code rake.scrape.allowed-hosts} are exempt: a name entry admits that name as
 * written, an IP entry admits that address whatever name resolved to it (the connection goes to it anyway).
 */
@ApplicationScoped
public class SsrfGuard {

    private final HostResolver resolver;
    private final Set<String> allowedNames = new HashSet<>();
    private final Set<InetAddress> allowedAddresses = new HashSet<>();

    SsrfGuard(IngestConfig config, HostResolver resolver) {
        this.resolver = resolver;
        for (String entry : config.scrape().allowedHosts().orElse(List.of())) {
            String host = bare(entry.trim());
            InternalAddresses.literal(host).ifPresentOrElse(allowedAddresses::add,
                    () -> allowedNames.add(host.toLowerCase(Locale.ROOT)));
        }
    }

    public static class RefusedUrl extends Exception {
        public RefusedUrl(String message) {
            super(message);
        }
    }

    /**
     * A refusal met while connecting, where the HTTP client only lets I/O errors through; {@link GuardedHttp}
     * turns it back into a {@link RefusedUrl} (so it is never retried as a network error).
     */
    static final class RefusedConnection extends UnknownHostException {
        RefusedConnection(RefusedUrl refused) {
            super(refused.getMessage());
            initCause(refused);
        }
    }

    /** What a URL must be before anything is looked up: http or https, with a host. */
    public void check(URI url) throws RefusedUrl {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedUrl("only http and https URLs are fetched: " + url);
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new RefusedUrl("URL without a host: " + url);
        }
    }

    /** Resolves {@code host} once and returns its addresses if every one may be reached; connect to these only. */
    public List<InetAddress> vet(String host) throws RefusedUrl {
        String bareHost = bare(host);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            throw new RefusedUrl("unknown host " + bareHost);
        }
        if (allowedNames.contains(bareHost.toLowerCase(Locale.ROOT))) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (InternalAddresses.isInternal(address) && !allowedAddresses.contains(address)) {
                throw new RefusedUrl(bareHost + " resolves to the internal address " + address.getHostAddress());
            }
        }
        return addresses;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
