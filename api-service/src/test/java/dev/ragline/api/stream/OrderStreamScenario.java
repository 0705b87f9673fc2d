package dev.ragline.api.stream;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The cast of every stream scenario: two tenants and two customers, fresh for each test so events
 * of other tests (or of earlier runs still in the replay window) can never match, and a producer
 * that publishes their order events through the real broker.
 */
abstract class OrderStreamScenario {

    static final Duration DELIVERY = Duration.ofSeconds(20);

    static OrderEventProducer orders;

    final UUID tenantA = UUID.randomUUID();
    final UUID tenantB = UUID.randomUUID();
    final UUID alice = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();

    @BeforeAll
    static void connectProducer() {
        orders = new OrderEventProducer();
    }

    @AfterAll
    static void closeProducer() {
        if (orders != null) {
            orders.close();
        }
    }
}
