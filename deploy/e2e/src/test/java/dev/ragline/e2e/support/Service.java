package dev.ragline.e2e.support;

/**
 * The four services, with the module that packages each and the base port `./ragline up` gives its
 * first replica (replica i listens on basePort + 10 * i there; the e2e launcher uses free ports instead).
 */
public enum Service {

    API("api-service", 8000, "-Xmx384m"),
    LLM("llm-service", 8001, "-Xmx512m"),
    WORKER("worker-service", 8002, "-Xmx256m"),
    INGEST("ingest-service", 8003, "-Xmx768m");

    private final String module;
    private final int basePort;
    private final String heap;

    Service(String module, int basePort, String heap) {
        this.module = module;
        this.basePort = basePort;
        this.heap = heap;
    }

    /** The Maven module and the name `./ragline` knows the service by, e.g. {@code api-service}. */
    public String module() {
        return module;
    }

    public int basePort() {
        return basePort;
    }

    String heap() {
        return heap;
    }
}
