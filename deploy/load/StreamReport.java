import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The order stream benchmark's figures, from what the client saw (each order's POST and its SSE arrival), from the
 * run's outbox rows, and from the services' own histograms:
 * <ul>
 * <li>occurred_at -> SSE arrival: the outbox row's occurred_at is PostgreSQL's now(), the start of the order's
 * transaction, which precedes its commit; so this is an upper bound of commit -> SSE (it also contains the
 * rest of the order transaction) and the figure judged against the target;</li>
 * <li>POST response -> SSE arrival: the response leaves only after the commit, so this is a lower bound (it
 * can be negative when the event overtakes the HTTP response).</li>
 * </ul>
 */
final class StreamReport {

    /** One order as the client created it. */
    record Posted(long scheduledNanos, long responseNanos, Instant responseWall) {
    }

    /** Prints delivery, commit -> SSE and POST latency; returns how many orders' events never arrived. */
    static int latencies(Map<String, Posted> posted, Map<String, OrderStreamObserver.Arrival> arrived, long duplicates) {
        List<Long> upper = new ArrayList<>();
        List<Long> lower = new ArrayList<>();
        List<Long> postLatency = new ArrayList<>();
        int missing = 0;
        for (Map.Entry<String, Posted> order : posted.entrySet()) {
            Posted p = order.getValue();
            postLatency.add((p.responseNanos() - p.scheduledNanos()) / 1_000);
            OrderStreamObserver.Arrival a = arrived.get(order.getKey());
            if (a == null) {
                missing++;
                continue;
            }
            upper.add(Duration.between(a.occurredAt(), a.wall()).toNanos() / 1_000);
            lower.add((a.nanos() - p.responseNanos()) / 1_000);
        }
        Collections.sort(upper);
        Collections.sort(lower);
        Collections.sort(postLatency);
        System.out.printf("SSE: delivered %d of %d orders, missing %d, duplicate events %d%n", upper.size(), posted.size(),
                missing, duplicates);
        System.out.println("commit -> SSE, from the order's occurred_at (tx start; upper bound): " + summary(upper));
        System.out.println("commit -> SSE, from the POST response (after commit; lower bound):   " + summary(lower));
        System.out.println("POST /v1/orders latency (from its scheduled send):                 " + summary(postLatency));
        return missing;
    }

    /**
     * Where the lag goes, from the outbox rows of the run: published_at is PostgreSQL's now() in the relay's claim
     * transaction, i.e. when the relay started the claim that took the row (BEGIN goes out with the claim).
     */
    static void stages(Map<String, String> options, UUID tenant, Map<String, Posted> posted,
            Map<String, OrderStreamObserver.Arrival> arrived) {
        List<Long> txToClaim = new ArrayList<>();
        List<Long> responseToClaim = new ArrayList<>();
        List<Long> claimToSse = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(options.get("jdbc"), options.getOrDefault("db-user", "ragline_worker"),
                options.getOrDefault("db-password", "ragline"));
                PreparedStatement rows = db.prepareStatement("""
                        SELECT aggregate_id::text, occurred_at, published_at FROM api.outbox
                        WHERE tenant_id = ? AND event_type = 'order_created' AND published_at IS NOT NULL""")) {
            rows.setObject(1, tenant);
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    Posted p = posted.get(row.getString(1));
                    OrderStreamObserver.Arrival a = arrived.get(row.getString(1));
                    if (p == null || a == null) {
                        continue;
                    }
                    Instant occurred = row.getObject(2, OffsetDateTime.class).toInstant();
                    Instant claimed = row.getObject(3, OffsetDateTime.class).toInstant();
                    txToClaim.add(Duration.between(occurred, claimed).toNanos() / 1_000);
                    responseToClaim.add(Duration.between(p.responseWall(), claimed).toNanos() / 1_000);
                    claimToSse.add(Duration.between(claimed, a.wall()).toNanos() / 1_000);
                }
            }
        } catch (Exception e) {
            System.out.println("stages not measured: " + e);
            return;
        }
        Collections.sort(txToClaim);
        Collections.sort(responseToClaim);
        Collections.sort(claimToSse);
        System.out.println("stages (published_at = start of the relay's claim transaction):");
        System.out.println("  order tx start -> relay claim:  " + summary(txToClaim));
        System.out.println("  POST response -> relay claim:   " + summary(responseToClaim));
        System.out.println("  relay claim -> SSE arrival:     " + summary(claimToSse));
    }

    /** The services' histograms (they include the warm-up). */
    static void serviceHistograms(HttpClient http, String api, String worker) {
        System.out.printf("worker commit -> Kafka ack (ragline_outbox_lag_seconds buckets): p50 <= %s s, p95 <= %s s, p99 <= %s s%n",
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.50),
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.95),
                LoadKit.quantile(http, worker, "ragline_outbox_lag_seconds", 0.99));
        System.out.printf("api Kafka timestamp -> SSE frame queued (ragline_stream_lag_seconds buckets): p50 <= %s s, p95 <= %s s, p99 <= %s s%n",
                LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.50), LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.95),
                LoadKit.quantile(http, api, "ragline_stream_lag_seconds", 0.99));
    }

    static String summary(List<Long> sortedMicros) {
        if (sortedMicros.isEmpty()) {
            return "no samples";
        }
        return "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)".formatted(LoadKit.percentile(sortedMicros, 50),
                LoadKit.percentile(sortedMicros, 95), LoadKit.percentile(sortedMicros, 99), sortedMicros.getLast() / 1000.0,
                sortedMicros.size());
    }

    private StreamReport() {
    }
}
