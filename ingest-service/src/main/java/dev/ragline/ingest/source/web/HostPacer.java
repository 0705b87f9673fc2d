package dev.ragline.ingest.source.web;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Spaces requests to one host by a minimum interval, within one job's fetch. */
public class HostPacer {

    private final long intervalNanos;
    private final Map<String, Long> nextAllowed = new HashMap<>();

    public HostPacer(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    public synchronized void awaitTurn(String host) throws InterruptedException {
        long now = System.nanoTime();
        long allowed = nextAllowed.getOrDefault(host, now);
        if (allowed > now) {
            Thread.sleep(Duration.ofNanos(allowed - now));
        }
        nextAllowed.put(host, Math.max(now, allowed) + intervalNanos);
    }
}
