package dev.ragline.worker.consumer;

import dev.ragline.contracts.EventEnvelope;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types that Jackson reads or writes outside a REST signature, so a native image keeps their constructors
 * and accessors: the relay and the notifier write event envelopes, the consumers read them.
 */
@RegisterForReflection(targets = { EventEnvelope.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
