package dev.ragline.llm.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

/** What the local stand-ins for our other services share: reading the caller's token and answering JSON. */
final class StubHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StubHttp() {
    }

    /**
     * The bearer token's claims, unverified: llm-service verified the token before forwarding it, and the
     * stand-ins only need to know whom it acts for. Null when there is no readable token.
     */
    static JsonNode bearerClaims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        try {
            return MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException | ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Sends {@code body} as JSON, or as problem+json for an error status, and closes the response. */
    static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] out = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }
}
