package dev.ragline.ingest.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time from Linux's /proc over one measured interval: this JVM's threads grouped by what they do
 * (threads that ended inside the interval, such as a job's stage threads, count together as "ended
 * threads": the process's own total less its live threads), and PostgreSQL's processes: the backends of
 * one role on one database (the service's connections) apart from the server's background processes
 * (WAL writer, checkpointer, autovacuum), which other users of the server share. Elsewhere than on
 * Linux every figure is empty.
 */
final class ProcCpu {

    /** USER_HZ: /proc counts in ticks of 10 ms on every Linux architecture the stack runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Path TASKS = Path.of("/proc/self/task");

    /** What the figures are grouped into, by thread name (Linux keeps the first 15 characters). */
    static final Map<String, String> GROUPS = groups();

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("rake-minilm", "model");
        groups.put("rake-embed", "embed stage");
        groups.put("rake-store", "store stage");
        groups.put("rake-job", "job thread");
        groups.put("vert.x-eventloo", "event loops");
        groups.put("executor-thread", "workers");
        groups.put("vert.x-worker", "workers");
        groups.put("kafka", "kafka"); // anywhere in the name: smallrye-kafka-consumer-thread, kafka-producer-network-thread
        groups.put("GC Thread", "GC");
        groups.put("G1 ", "GC");
        groups.put("C1 Compiler", "JIT");
        groups.put("C2 Compiler", "JIT");
        // The launcher's thread that runs main (and so the tests) keeps the process's name.
        groups.put("java", "test client");
        return groups;
    }

    private final String role;
    private final String database;
    private final Map<String, Long> threadsAtStart;
    private final Map<String, String> names = new HashMap<>();
    private final long processAtStart;
    private final long backendsAtStart;
    private final long backgroundAtStart;

    private ProcCpu(String role, String database) {
        this.role = role;
        this.database = database;
        // PostgreSQL first and this JVM last (and the other way round in stop), so the scans of /proc count
        // as little as possible as this JVM's own CPU.
        this.backendsAtStart = postgresTicks(true);
        this.backgroundAtStart = postgresTicks(false);
        this.processAtStart = processTicks();
        this.threadsAtStart = threadTicks();
    }

    /** Starts measuring; PostgreSQL's backends are those of {@code role} connected to {@code database}. */
    static ProcCpu start(String role, String database) {
        return new ProcCpu(role, database);
    }

    record Usage(Map<String, Long> jvmNanosByGroup, long postgresBackendNanos, long postgresBackgroundNanos) {

        long jvmNanos() {
            return jvmNanosByGroup.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The CPU used since {@link #start}, by group. */
    Usage stop() {
        Map<String, Long> threads = threadTicks();
        long process = processTicks() - processAtStart;
        Map<String, Long> byGroup = new LinkedHashMap<>();
        GROUPS.values().forEach(group -> byGroup.put(group, 0L));
        byGroup.put("other", 0L);
        long live = 0;
        for (Map.Entry<String, Long> thread : threads.entrySet()) {
            long used = thread.getValue() - threadsAtStart.getOrDefault(thread.getKey(), 0L);
            live += used;
            byGroup.merge(groupOf(names.getOrDefault(thread.getKey(), "")), used * NANOS_PER_TICK, Long::sum);
        }
        // The kernel adds an ended thread's time to its process: what no live thread accounts for.
        byGroup.put("ended threads", Math.max(0, process - live) * NANOS_PER_TICK);
        return new Usage(byGroup, (postgresTicks(true) - backendsAtStart) * NANOS_PER_TICK,
                (postgresTicks(false) - backgroundAtStart) * NANOS_PER_TICK);
    }

    private static long processTicks() {
        String[] stat = stat(Path.of("/proc/self/stat"));
        return stat == null ? 0 : Long.parseLong(stat[12]) + Long.parseLong(stat[13]);
    }

    private static String groupOf(String threadName) {
        if (threadName.contains("kafka")) {
            return "kafka";
        }
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            if (threadName.startsWith(group.getKey())) {
                return group.getValue();
            }
        }
        return "other";
    }

    /** utime + stime of each of this JVM's threads, keyed by thread id (tid). */
    private Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String[] stat = stat(task.resolve("stat"));
                if (stat != null) {
                    String tid = task.getFileName().toString();
                    names.putIfAbsent(tid, stat[0]);
                    ticks.put(tid, Long.parseLong(stat[12]) + Long.parseLong(stat[13]));
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return ticks;
    }

    /**
     * Either the backends of the role on the database (live ones), or everything else of the server: its
     * other processes plus what the postmaster collected from children that exited (autovacuum workers).
     */
    private long postgresTicks(boolean backends) {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String command = commandLine(process);
                if (command == null) {
                    continue;
                }
                boolean postmaster = command.contains("/bin/postgres");
                if (!postmaster && !command.startsWith("postgres:")) {
                    continue;
                }
                boolean ours = command.contains(" " + role + " " + database + " ");
                String[] stat = stat(process.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                if (backends && ours) {
                    ticks += Long.parseLong(stat[12]) + Long.parseLong(stat[13]);
                } else if (!backends && postmaster) {
                    ticks += Long.parseLong(stat[12]) + Long.parseLong(stat[13]) + Long.parseLong(stat[14])
                            + Long.parseLong(stat[15]);
                } else if (!backends && !ours && !command.contains(" idle") && isBackground(command)) {
                    ticks += Long.parseLong(stat[12]) + Long.parseLong(stat[13]);
                }
            }
        } catch (IOException e) {
            // not Linux: no figures
        }
        return ticks;
    }

    private static boolean isBackground(String command) {
        return command.contains("walwriter") || command.contains("checkpointer") || command.contains("background writer")
                || command.contains("autovacuum");
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** /proc/.../stat: the name, then the fields after it (state is [1], utime [12], stime [13], cutime [14], cstime [15]). */
    private static String[] stat(Path file) {
        String line;
        try {
            line = Files.readString(file);
        } catch (IOException | SecurityException e) {
            return null; // ended meanwhile
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < 0) {
            return null;
        }
        String[] rest = line.substring(close + 2).trim().split(" ");
        String[] fields = new String[rest.length + 1];
        fields[0] = line.substring(open + 1, close);
        System.arraycopy(rest, 0, fields, 1, rest.length);
        return fields;
    }
}
