package dev.ragline.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void a_failed_order_event_is_parked_on_the_orders_dead_letter_topic() {
        assertThat(Topics.deadLetterTopicOf(Topics.ORDERS)).isEqualTo("ragline.orders.dlq");
    }
}
