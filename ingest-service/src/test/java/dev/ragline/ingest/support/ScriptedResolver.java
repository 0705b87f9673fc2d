package dev.ragline.ingest.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ragline.ingest.source.net.HostResolver;
import io.quarkus.test.junit.QuarkusMock;

/**
 * A DNS server that changes its mind: names under {@code .ragline.test} (which no real resolver knows)
 * answer the scripted addresses in turn, the last one for ever after; other names go to the system resolver.
 * This is how an attacker's rebinding name behaves: harmless while it is checked, internal when used.
 */
public class ScriptedResolver extends HostResolver {

    private final Map<String, Deque<String>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    public static ScriptedResolver install() {
        ScriptedResolver resolver = new ScriptedResolver();
        QuarkusMock.installMockForType(resolver, HostResolver.class);
        return resolver;
    }

    /** {@code name} answers {@code first}, then {@code then...}, each for one lookup, the last one for good. */
    public ScriptedResolver answer(String name, String first, String... then) {
        Deque<String> queue = new ArrayDeque<>();
        queue.add(first);
        queue.addAll(List.of(then));
        answers.put(name, queue);
        return this;
    }

    public int lookups(String name) {
        AtomicInteger count = lookups.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        Deque<String> queue = answers.get(host);
        if (queue == null) {
            return super.resolve(host);
        }
        lookups.computeIfAbsent(host, name -> new AtomicInteger()).incrementAndGet();
        String address;
        synchronized (queue) {
            address = queue.size() > 1 ? queue.poll() : queue.peek();
        }
        return List.of(InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress()));
    }
}
