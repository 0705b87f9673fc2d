package dev.ragline.llm.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-compatible chat completions server that streams scripted replies in the real SSE chunk
 * format (as OpenAI, vLLM, Ollama and llama.cpp send it): content deltas, tool-call deltas whose
 * arguments are split across chunks, several tool calls in one reply, a usage chunk with empty or null
 * {@code choices}, errors in the middle of a stream and pauses.
 */
public final class ScriptedOpenAi {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ScriptedOpenAi instance;

    /** One streamed reply: a list of steps, each a chunk to send, a pause, or an abrupt end. */
    public static final class Script {

        private final List<Object> steps = new ArrayList<>();
        private final String id = "chatcmpl-" + System.nanoTime();

        public Script text(String... parts) {
            for (String part : parts) {
                ObjectNode delta = MAPPER.createObjectNode().put("role", "assistant").put("content", part);
                steps.add(chunk(delta, null));
            }
            return this;
        }

        /** The first delta of a tool call: its id and name, with empty arguments. */
        public Script toolCallStarts(int index, String callId, String name) {
            ObjectNode delta = MAPPER.createObjectNode().put("role", "assistant").putNull("content");
            ObjectNode call = delta.putArray("tool_calls").addObject().put("index", index).put("id", callId)
                    .put("type", "function");
            call.putObject("function").put("name", name).put("arguments", "");
            steps.add(chunk(delta, null));
            return this;
        }

        /** A further piece of a tool call's JSON arguments. */
        public Script toolArguments(int index, String piece) {
            ObjectNode delta = MAPPER.createObjectNode();
            delta.putArray("tool_calls").addObject().put("index", index).putObject("function")
                    .put("arguments", piece);
            steps.add(chunk(delta, null));
            return this;
        }

        public Script finish(String reason) {
            steps.add(chunk(MAPPER.createObjectNode(), reason));
            return this;
        }

        /** The usage chunk sent after the last choice when stream_options.include_usage is set. */
        public Script usage(int prompt, int completion, boolean nullChoices) {
            ObjectNode chunk = base();
            if (nullChoices) {
                chunk.putNull("choices");
            } else {
                chunk.putArray("choices");
            }
            chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            steps.add(chunk.toString());
            return this;
        }

        public Script pause(long millis) {
            steps.add(millis);
            return this;
        }

        /** An error object in the stream, as OpenAI-compatible servers send when generation fails. */
        public Script errorMidStream(String message) {
            ObjectNode error = MAPPER.createObjectNode();
            error.putObject("error").put("message", message).put("type", "server_error").putNull("code");
            steps.add(error.toString());
            steps.add(Abort.INSTANCE);
            return this;
        }

        private String chunk(ObjectNode delta, String finishReason) {
            ObjectNode chunk = base();
            ArrayNode choices = chunk.putArray("choices");
            ObjectNode choice = choices.addObject().put("index", 0);
            choice.set("delta", delta);
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            return chunk.toString();
        }

        private ObjectNode base() {
            return MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", 1_700_000_000L).put("model", "scripted-model").putNull("system_fingerprint");
        }
    }

    private enum Abort {
        INSTANCE
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger abortedByClient = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    private ScriptedOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    public static synchronized ScriptedOpenAi instance() {
        if (instance == null) {
            try {
                instance = new ScriptedOpenAi();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public void reset(Script... next) {
        scripts.clear();
        requests.clear();
        abortedByClient.set(0);
        finished.set(0);
        scripts.addAll(List.of(next));
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** Scripts played to their end (including ones whose reader had stopped listening). */
    public int finishedScripts() {
        return finished.get();
    }

    /** Streams whose client closed the connection before the script ended. */
    public int abortedByClient() {
        return abortedByClient.get();
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            Script script = scripts.poll();
            if (script == null) {
                byte[] body = "{\"error\":{\"message\":\"no script left\",\"type\":\"invalid_request_error\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                for (Object step : script.steps) {
                    if (step instanceof Long millis) {
                        Thread.sleep(millis);
                    } else if (step instanceof Abort) {
                        out.flush();
                        return;
                    } else {
                        out.write(("data: " + step + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                finished.incrementAndGet();
            } catch (IOException | InterruptedException closed) {
                abortedByClient.incrementAndGet();
            }
        }
    }
}
