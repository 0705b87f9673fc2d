import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU used while sending, per order: each service's total and its thread pools (JIT compiler threads included,
 * which is what a short run spends on warming up), every PostgreSQL process of the box (other users of the
 * shared server count too), the Kafka broker and this client, i.e. everything the box spends per order.
 */
final class CpuShares {
    /**
     * For the CPU split by PostgreSQL session: pg_stat_activity names other roles' sessions only to a superuser or a
     * member of pg_read_all_stats; the local stack trusts the superuser on loopback. Otherwise the split stays coarse.
     */
    static Connection statsConnection(Map<String, String> options) throws java.sql.SQLException {
        try {
            return DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("stats-db-user", "postgres"),
                    options.getOrDefault("stats-db-password", ""));
        } catch (java.sql.SQLException e) {
            return DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                    options.getOrDefault("db-password", "ragline"));
        }
    }

    private final Map<String, Long> pids = new java.util.LinkedHashMap<>();
    private final Map<String, Map<String, Long>> threadsBefore = new HashMap<>();
    private final Map<String, Map<String, Long>> threadsAfter = new HashMap<>();
    private final long postgresBefore;
    private final long kafkaPid = LoadKit.pidOf("kafka.Kafka");
    private final long kafkaBefore;
    private final long clientBefore = ownCpuMillis();
    private long postgresAfter;
    private long kafkaAfter;
    private long clientAfter;

    private final Connection db;
    private final Map<Long, String> postgresRoles = new HashMap<>();
    private final Map<Long, Long> backendsBefore = new HashMap<>();
    private final Map<Long, Long> backendsAfter = new HashMap<>();
    private final long[] commitsBefore;
    private long[] commitsAfter;

    CpuShares(String apiPid, String workerPid, Connection db) {
        this.db = db;
        if (apiPid != null) {
            pids.put("api-service", Long.parseLong(apiPid));
        }
        if (workerPid != null) {
            pids.put("worker-service", Long.parseLong(workerPid));
        }
        pids.forEach((name, pid) -> threadsBefore.put(name, LoadKit.threadCpuMillis(pid)));
        commitsBefore = databaseCounters();
        postgresBefore = LoadKit.processesCpuMillis("postgres");
        backends(backendsBefore);
        kafkaBefore = processCpuMillis(kafkaPid);
    }

    void stop() {
        pids.forEach((name, pid) -> threadsAfter.put(name, LoadKit.threadCpuMillis(pid)));
        postgresAfter = LoadKit.processesCpuMillis("postgres");
        backends(backendsAfter);
        kafkaAfter = processCpuMillis(kafkaPid);
        clientAfter = ownCpuMillis();
    }

    /**
     * The database's commits and rollbacks since the start; read a while after {@link #stop} because PostgreSQL
     * publishes a backend's counters up to a second late (the few transactions of the drain count too).
     */
    void readDatabaseCounters() {
        commitsAfter = databaseCounters();
    }

    private long[] databaseCounters() {
        try (var statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT xact_commit, xact_rollback FROM pg_stat_database"
                        + " WHERE datname = current_database()")) {
            row.next();
            return new long[] { row.getLong(1), row.getLong(2) };
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * CPU of each PostgreSQL process so far, and who it serves: the service under test whose socket is the
     * session's other end, else the session's role (another process of the box using the same database) or the
     * kind of background process, from pg_stat_activity, which shows other roles' sessions to a superuser only.
     */
    private void backends(Map<Long, Long> cpu) {
        Map<Integer, String> serviceOfPort = new HashMap<>();
        pids.forEach((name, pid) -> LoadKit.localTcpPorts(pid).forEach(port -> serviceOfPort.put(port, name)));
        try (var statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pid, client_port, CASE WHEN backend_type = 'client backend'"
                        + " THEN 'other sessions of ' || coalesce(usename::text, 'unknown roles') ELSE backend_type END"
                        + " FROM pg_stat_activity")) {
            while (rows.next()) {
                String service = serviceOfPort.get(rows.getInt(2));
                String other = rows.getString(3);
                postgresRoles.putIfAbsent(rows.getLong(1), service != null ? service : other == null ? "unknown" : other);
                cpu.put(rows.getLong(1), processCpuMillis(rows.getLong(1)));
            }
        } catch (Exception e) {
            // no split then
        }
    }

    void print(long orders, long elapsedNanos) {
        double elapsedMillis = elapsedNanos / 1e6;
        StringBuilder line = new StringBuilder("CPU while sending, ms per order (% of a core):");
        pids.keySet().forEach(name -> {
            long used = used(name).values().stream().mapToLong(Long::longValue).sum();
            line.append(" %s %.2f (%.0f%%),".formatted(name, used / (double) orders, 100 * used / elapsedMillis));
        });
        long postgres = postgresAfter - postgresBefore;
        long kafka = kafkaAfter - kafkaBefore;
        long client = clientAfter - clientBefore;
        line.append(" postgres (all of the box's) %.2f (%.0f%%), kafka broker %.2f (%.0f%%), this client %.2f (%.0f%%)"
                .formatted(postgres / (double) orders, 100 * postgres / elapsedMillis, kafka / (double) orders,
                        100 * kafka / elapsedMillis, client / (double) orders, 100 * client / elapsedMillis));
        System.out.println(line);
        Map<String, Long> byRole = new java.util.TreeMap<>();
        backendsAfter.forEach((pid, after) -> byRole.merge(postgresRoles.getOrDefault(pid, "?"),
                after - backendsBefore.getOrDefault(pid, 0L), Long::sum));
        long attributed = byRole.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder roles = new StringBuilder("  postgres by session (the service it serves, else its role), ms per order:");
        byRole.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long> comparingByValue().reversed())
                .forEach(e -> roles.append(" %s %.2f;".formatted(e.getKey(), e.getValue() / (double) orders)));
        // Processes that ended meanwhile (other users' sessions) drop out of the total, so the rest can be negative.
        if (postgres >= attributed) {
            roles.append(" other processes %.2f".formatted((postgres - attributed) / (double) orders));
        }
        System.out.println(roles);
        if (commitsBefore != null && commitsAfter != null) {
            System.out.printf("  postgres transactions of the database while sending and draining, per order: %.2f commits,"
                    + " %.3f rollbacks%n", (commitsAfter[0] - commitsBefore[0]) / (double) orders,
                    (commitsAfter[1] - commitsBefore[1]) / (double) orders);
        }
        pids.keySet().forEach(name -> {
            StringBuilder threads = new StringBuilder("  " + name + " threads, ms per order:");
            used(name).entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long> comparingByValue().reversed()).limit(8)
                    .forEach(e -> threads.append(" %s %.2f;".formatted(e.getKey(), e.getValue() / (double) orders)));
            System.out.println(threads);
        });
    }

    /** Per thread name; a thread that ended in between is lost, one that started counts whole. */
    private Map<String, Long> used(String name) {
        Map<String, Long> used = new HashMap<>();
        threadsAfter.getOrDefault(name, Map.of()).forEach(
                (thread, after) -> used.put(thread, after - threadsBefore.getOrDefault(name, Map.of()).getOrDefault(thread, 0L)));
        return used;
    }

    private static long processCpuMillis(long pid) {
        try {
            return pid < 0 ? 0 : LoadKit.statCpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (Exception e) {
            return 0;
        }
    }

    private static long ownCpuMillis() {
        return processCpuMillis(ProcessHandle.current().pid());
    }
}
