import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the load programs of this folder share (found by the JDK 22+ source launcher beside them): tokens
 * signed like api-service's login, a service's Prometheus figures, and percentiles of measured lags.
 */
final class LoadKit {

    private LoadKit() {
    }

    /** An RS256 access token with the claims api-service's login issues, signed with the same key. */
    static String token(PrivateKey key, UUID tenant, UUID user, String role) throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString("""
                {"iss":"https://ragline.dev","sub":"%s","upn":"load@ragline.test","tenant_id":"%s","user_id":"%s",\
                "roles":["%s"],"groups":["%s"],"iat":%d,"exp":%d}"""
                .formatted(user, tenant, user, role, role, now, now + 1800).getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + base64.encodeToString(signature.sign());
    }

    static PrivateKey privateKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** The value of a metric in a service's {@code /q/metrics}, or "?" when it cannot be read. */
    static String metric(HttpClient http, String base, String name) {
        try {
            return metricsText(http, base).lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    /** The upper bound of the first bucket of a Prometheus histogram that holds the quantile, or "?". */
    static String quantile(HttpClient http, String base, String histogram, double quantile) {
        try {
            List<String> buckets = metricsText(http, base).lines().filter(line -> line.startsWith(histogram + "_bucket{"))
                    .toList();
            double total = Double.parseDouble(buckets.getLast().substring(buckets.getLast().lastIndexOf(' ') + 1));
            for (String bucket : buckets) {
                double cumulative = Double.parseDouble(bucket.substring(bucket.lastIndexOf(' ') + 1));
                if (cumulative >= quantile * total) {
                    Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher(bucket);
                    return le.find() ? le.group(1) : "?";
                }
            }
        } catch (Exception e) {
            // unreadable: "?" below
        }
        return "?";
    }

    /** The percentile of sorted lags in microseconds, in milliseconds (NaN when none was measured). */
    /** The program's {@code --name=value} arguments. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    static double percentile(List<Long> sortedMicros, int percentile) {
        if (sortedMicros.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.size()) - 1;
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }

    /**
     * CPU time (user + system, ms) a process has used so far per thread name, digits folded to {@code #} so a pool
     * counts as one line ("vert.x-eventloop-thread-#", "C2 CompilerThre#"); empty when it cannot be read. Linux only.
     */
    static Map<String, Long> threadCpuMillis(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "#");
                    byName.merge(name, statCpuMillis(Files.readString(task.resolve("stat"))), Long::sum);
                } catch (Exception ended) {
                    // the thread ended meanwhile
                }
            });
        } catch (Exception e) {
            // no such process
        }
        return byName;
    }

    /** CPU time (ms) used so far by every process whose command name is {@code comm} (e.g. all PostgreSQL backends). */
    static long processesCpuMillis(String comm) {
        long total = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(process.resolve("comm")).strip().equals(comm)) {
                        total += statCpuMillis(Files.readString(process.resolve("stat")));
                    }
                } catch (Exception ended) {
                    // the process ended meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return total;
    }

    /**
     * The local ports of the process's TCP sockets (its connections, e.g. to PostgreSQL): the socket inodes among its
     * file descriptors, looked up in /proc/PID/net/tcp and tcp6. Empty when they cannot be read. Linux only.
     */
    static Set<Integer> localTcpPorts(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (Exception closed) {
                    // closed meanwhile
                }
            });
        } catch (Exception e) {
            return Set.of();
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && inodes.contains(fields[9])) {
                        String local = fields[1];
                        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                    }
                }
            } catch (Exception e) {
                // no such table
            }
        }
        return ports;
    }

    /** The pid of the first process whose command line contains {@code fragment}, or -1. */
    static long pidOf(String fragment) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(fragment)).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /** User + system CPU of a /proc stat line, in ms (clock ticks of 10 ms). */
    static long statCpuMillis(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static String metricsText(HttpClient http, String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
