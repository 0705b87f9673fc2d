package dev.ragline.contracts;

/** Kafka record headers every RAGline event carries, so consumers can route without parsing the body. */
public final class EventHeaders {

    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String TENANT_ID = "tenant_id";
    public static final String TRACEPARENT = "traceparent";

    private EventHeaders() {
    }
}
