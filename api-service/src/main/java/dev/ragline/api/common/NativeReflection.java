package dev.ragline.api.common;

import dev.ragline.contracts.EventEnvelope;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types that Jackson reads or writes outside a REST signature (REST types are registered by Quarkus itself),
 * so a native image keeps their constructors and accessors: the order stream reads every event envelope.
 */
@RegisterForReflection(targets = { EventEnvelope.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
