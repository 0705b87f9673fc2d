package dev.ragline.api.stream;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client's place in the order topic: for every partition, the next offset it has not yet been
 * offered. Encoded as the offsets joined by dots with the partition as index ({@code "42.17.90"} =
 * partition 0 at 42, 1 at 17, 2 at 90), and sealed by {@link CursorSeal} into the SSE {@code id} of
 * every frame. Partition offsets are the same on every replica, so a cursor handed out by one replica
 * resumes on any other.
 */
public final class StreamCursor {

    private static final Pattern ENCODED = Pattern.compile("\\d{1,19}(\\.\\d{1,19}){0,1023}");

    private long[] next;

    private StreamCursor(long[] next) {
        this.next = next;
    }

    public static StreamCursor at(long[] next) {
        return new StreamCursor(next.clone());
    }

    /** The cursor a client sent back as {@code Last-Event-ID}; empty when it is not one of ours. */
    public static Optional<StreamCursor> parse(String encoded) {
        if (encoded == null || !ENCODED.matcher(encoded.strip()).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StreamCursor(
                    Arrays.stream(encoded.strip().split("\\.")).mapToLong(Long::parseLong).toArray()));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** Whether the event at this position is still ahead of the client. */
    public boolean isAhead(int partition, long offset) {
        return offset >= nextOffset(partition);
    }

    public long nextOffset(int partition) {
        return partition < next.length ? next[partition] : 0;
    }

    public void passed(int partition, long offset) {
        ensurePartitions(partition + 1);
        next[partition] = Math.max(next[partition], offset + 1);
    }

    /** Moves up to a position whose every earlier event this client has already been offered. */
    public void catchUp(long[] offered) {
        ensurePartitions(offered.length);
        for (int partition = 0; partition < offered.length; partition++) {
            next[partition] = Math.max(next[partition], offered[partition]);
        }
    }

    public String encode() {
        return Arrays.stream(next).mapToObj(Long::toString).collect(Collectors.joining("."));
    }

    private void ensurePartitions(int count) {
        if (next.length < count) {
            next = Arrays.copyOf(next, count);
        }
    }

    @Override
    public String toString() {
        return encode();
    }
}
