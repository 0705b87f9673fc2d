package dev.ragline.contracts;

/**
 * Kafka topic names shared by the services that produce and consume them. Each event published on
 * these topics is described by a JSON Schema under {@code contracts/events/}.
 */
public final class Topics {

    public static final String ORDERS = "ragline.orders";
    public static final String PRODUCTS = "ragline.products";
    public static final String NOTIFICATIONS = "ragline.notifications";
    public static final String CHAT_TOOLS = "ragline.chat_tools";
    public static final String RAKE_JOBS = "rake.jobs";

    /** Messages that still fail after their retries are parked on {@code <topic>.dlq}. */
    public static String deadLetterTopicOf(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
