package dev.ragline.ingest.source.database;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.Driver;

import dev.ragline.ingest.IngestConfig;
import dev.ragline.ingest.common.ProblemException;
import dev.ragline.ingest.source.net.HostResolver;
import dev.ragline.ingest.source.net.InternalAddresses;

/**
 * Decides where a database_query job may connect. The JDBC URL is read by the PostgreSQL driver's own
 * parser (so what is checked is what the driver would use), then: one host only, no URL parameter beyond
 * a few harmless ones (the driver lets {@code ?PGHOST=}, {@code socketFactory=}, {@code service=} and the
 * like redirect or widen the connection), the host resolved once and every address it resolves to
 * permitted: public addresses on any port, internal ones (loopback, private, link-local, metadata,
 * unspecified) only as an allow-listed {@code host:port}. The connection then goes to the resolved
 * address itself ({@link PinnedSocketFactory}), not to a second lookup of the name.
 */
@ApplicationScoped
public class DatabaseHostPolicy {

    public static final String PROBLEM_TYPE = "database-host-refused";
    /** URL parameters that cannot move, widen or script the connection. */
    static final Set<String> URL_PARAMETERS = Set.of("user", "password", "ssl", "sslmode", "currentSchema");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");
    private static final Set<String> PARSED = Set.of("PGHOST", "PGPORT", "PGDBNAME");

    private final HostResolver resolver;
    private final Set<String> allowedNames = new HashSet<>();
    private final Set<String> allowedAddresses = new HashSet<>();

    DatabaseHostPolicy(IngestConfig config, HostResolver resolver) {
        this.resolver = resolver;
        for (String entry : config.database().allowedHosts().orElse(List.of())) {
            String trimmed = entry.strip();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || !trimmed.substring(colon + 1).matches("\\d{1,5}")) {
                throw new IllegalArgumentException("rake.database.allowed-hosts entries are host:port, not " + entry);
            }
            String host = bare(trimmed.substring(0, colon));
            int port = Integer.parseInt(trimmed.substring(colon + 1));
            InternalAddresses.literal(host).ifPresentOrElse(address -> allowedAddresses.add(key(address, port)),
                    () -> allowedNames.add(host.toLowerCase(Locale.ROOT) + ":" + port));
        }
    }

    /** A refused URL: a 400 when the job is submitted, the job's failure when it runs. */
    public static class Refused extends ProblemException {
        Refused(String detail) {
            super(400, PROBLEM_TYPE, "Database host refused", detail);
        }
    }

    /** What the driver is given: a URL rebuilt from the vetted parts, its properties and the pinned address. */
    public record Target(String url, Properties properties, InetAddress address, int port) {
    }

    public Target vet(String jdbcUrl) {
        // The driver fills in localhost for an empty host (jdbc:postgresql://:5432/db): a host must be written.
        String afterScheme = jdbcUrl.startsWith("jdbc:postgresql://") ? jdbcUrl.substring("jdbc:postgresql://".length()) : "";
        if (afterScheme.isEmpty() || ":/?,".indexOf(afterScheme.charAt(0)) >= 0) {
            throw new Refused("jdbc_url names no host");
        }
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            throw new Refused("jdbc_url is not a PostgreSQL JDBC URL the driver accepts: jdbc:postgresql://host:port/db");
        }
        // The raw names too: ?PGHOST= and ?PGPORT= override the URL's authority inside the driver.
        Set<String> extra = new TreeSet<>();
        int query = jdbcUrl.indexOf('?');
        if (query >= 0) {
            for (String pair : jdbcUrl.substring(query + 1).split("&")) {
                String name;
                try {
                    name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Refused("jdbc_url has a malformed parameter");
                }
                if (!name.isEmpty() && !URL_PARAMETERS.contains(name)) {
                    extra.add(name);
                }
            }
        }
        extra.addAll(parsed.stringPropertyNames());
        extra.removeAll(PARSED);
        extra.removeAll(URL_PARAMETERS);
        if (!extra.isEmpty()) {
            throw new Refused("jdbc_url may not set " + extra + "; its only parameters may be " + new TreeSet<>(
                    URL_PARAMETERS));
        }
        String sslMode = parsed.getProperty("sslmode");
        if (sslMode != null && !SSL_MODES.contains(sslMode)) {
            throw new Refused("jdbc_url sslmode must be one of " + new TreeSet<>(SSL_MODES));
        }
        String hosts = parsed.getProperty("PGHOST", "");
        String ports = parsed.getProperty("PGPORT", "");
        if (hosts.isBlank()) {
            throw new Refused("jdbc_url names no host");
        }
        if (hosts.contains(",") || ports.contains(",")) {
            throw new Refused("jdbc_url may name one host only, not " + hosts);
        }
        if (!ports.matches("\\d{1,5}") || Integer.parseInt(ports) > 65535) {
            throw new Refused("jdbc_url has no valid port: " + ports);
        }
        int port = Integer.parseInt(ports);
        String host = bare(hosts);
        InetAddress address = permittedAddress(host, port);

        Properties properties = new Properties();
        parsed.stringPropertyNames().stream().filter(URL_PARAMETERS::contains)
                .forEach(name -> properties.setProperty(name, parsed.getProperty(name)));
        properties.setProperty("socketFactory", PinnedSocketFactory.class.getName());
        properties.setProperty("socketFactoryArg", PinnedSocketFactory.arg(address, port));
        String shownHost = hosts.startsWith("[") ? hosts : host;
        String url = "jdbc:postgresql://" + shownHost + ":" + port + "/"
                + URLEncoder.encode(parsed.getProperty("PGDBNAME", ""), StandardCharsets.UTF_8);
        return new Target(url, properties, address, port);
    }

    private InetAddress permittedAddress(String host, int port) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("jdbc_url host " + host + " does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new Refused("jdbc_url host " + host + " does not resolve");
        }
        boolean nameAllowed = allowedNames.contains(host.toLowerCase(Locale.ROOT) + ":" + port);
        for (InetAddress address : addresses) {
            if (InternalAddresses.isInternal(address) && !nameAllowed
                    && !allowedAddresses.contains(key(address, port))) {
                throw new Refused("database_query may not connect to " + host + ":" + port + " (it resolves to the "
                        + "internal address " + address.getHostAddress() + "); an operator can allow it by adding "
                        + "host:port to RAKE_DATABASE_ALLOWED_HOSTS");
            }
        }
        return addresses.getFirst();
    }

    private static String key(InetAddress address, int port) {
        return address.getHostAddress() + "|" + port;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
