package dev.ragline.ingest.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.ragline.ingest.job.service.JobStopped;

/**
 * The bounded hand-over between two stages of one job running on their own threads: the producer waits
 * while the queued weight (chunks) is at capacity, so a fast stage cannot pile up work in memory ahead
 * of a slow one. An item heavier than the capacity still passes when the queue is empty. {@link #abort}
 * wakes both sides, which then stop with {@link Aborted}.
 */
final class Handoff<T> {

    /** The pipeline was aborted by another stage's failure; that failure is what the job reports. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super("pipeline aborted", null, false, false);
        }
    }

    private record Entry<T>(T item, int weight) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private final int capacity;
    private int weight;
    private boolean closed;
    private boolean aborted;

    Handoff(int capacity) {
        this.capacity = capacity;
    }

    void put(T item, int itemWeight) {
        lock.lock();
        try {
            while (!aborted && weight > 0 && weight + itemWeight > capacity) {
                await();
            }
            if (aborted) {
                throw new Aborted();
            }
            entries.add(new Entry<>(item, itemWeight));
            weight += itemWeight;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next item, waiting for one; null once the producer closed and everything was taken. */
    T take() {
        List<T> one = drain(1, 1);
        return one.isEmpty() ? null : one.getFirst();
    }

    /**
     * What is queued, at least one item (waiting for it) and at most {@code maxItems} or about
     * {@code maxWeight}; empty once the producer closed and everything was taken.
     */
    List<T> drain(int maxItems, int maxWeight) {
        lock.lock();
        try {
            while (!aborted && entries.isEmpty() && !closed) {
                await();
            }
            if (aborted) {
                throw new Aborted();
            }
            List<T> items = new ArrayList<>();
            int taken = 0;
            while (!entries.isEmpty() && items.size() < maxItems
                    && (items.isEmpty() || taken + entries.peek().weight() <= maxWeight)) {
                Entry<T> entry = entries.poll();
                items.add(entry.item());
                taken += entry.weight();
                weight -= entry.weight();
            }
            changed.signalAll();
            return items;
        } finally {
            lock.unlock();
        }
    }

    /** The producer is done: the consumer takes what is left, then gets the end. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void abort() {
        lock.lock();
        try {
            aborted = true;
            entries.clear();
            weight = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await() {
        try {
            changed.await();
        } catch (InterruptedException e) {
            // The instance is shutting down: stop without failing the job, whose lease then lets another
            // instance finish it.
            Thread.currentThread().interrupt();
            throw new JobStopped("instance shutting down");
        }
    }
}
