package dev.ragline.llm.tools.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuQuery;
import dev.ragline.llm.catalogue.service.MenuRetriever;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.ConversationMemory;
import dev.ragline.llm.chat.memory.PendingCart;
import dev.ragline.llm.chat.memory.PendingCart.CartLine;
import dev.ragline.llm.common.LlmConfig;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolCatalog;
import dev.ragline.llm.tools.ToolExecution;
import dev.ragline.llm.tools.ToolOutcome;
import dev.ragline.llm.tools.client.ApiService;
import dev.ragline.llm.tools.client.IngestService;
import dev.ragline.llm.tools.events.ToolEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Executes the chat tools as the caller of the turn. Every execution is traced, counted by tool and
 * outcome, and described by a chat_tool_executed event, whatever its outcome, which the turn stores in the
 * outbox with the call's record.
 */
@ApplicationScoped
public class ChatTools {

    private static final Logger LOG = Logger.getLogger(ChatTools.class);

    private final MenuRetriever menu;
    private final ApiService api;
    private final IngestService documents;
    private final ConversationMemory memory;
    private final ToolEventPublisher events;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final ObjectMapper mapper;
    private final LlmConfig config;

    ChatTools(MenuRetriever menu, ApiService api, IngestService documents, ConversationMemory memory,
            ToolEventPublisher events, MeterRegistry meters, Tracer tracer, ObjectMapper mapper, LlmConfig config) {
        this.menu = menu;
        this.api = api;
        this.documents = documents;
        this.memory = memory;
        this.events = events;
        this.meters = meters;
        this.tracer = tracer;
        this.mapper = mapper;
        this.config = config;
    }

    /** Runs the call; the returned event is for the caller to store with the call's record (the outbox). */
    public ToolExecution execute(ChatTurn turn, ToolCall call) {
        long started = System.nanoTime();
        Span span = tracer.spanBuilder("tool " + call.name())
                .setAttribute("ragline.tenant_id", turn.caller().tenantId().toString())
                .setAttribute("ragline.chat.session_id", turn.sessionId().toString())
                .setAttribute("ragline.chat.turn", turn.number())
                .setAttribute("ragline.tool.name", call.name())
                .startSpan();
        ToolOutcome outcome;
        JsonNode arguments = call.arguments() == null ? mapper.createObjectNode() : call.arguments();
        try (Scope ignored = span.makeCurrent()) {
            outcome = switch (call.name()) {
                case ToolCatalog.RETRIEVE_MENU -> retrieveMenu(turn, arguments);
                case ToolCatalog.APPLY_PROMOS -> applyPromos(turn, arguments);
                case ToolCatalog.CONFIRM -> confirm(turn, arguments);
                case ToolCatalog.SEARCH_DOCUMENTS -> searchDocuments(turn, arguments);
                default -> rejected("Unknown tool " + call.name() + "; the tools are retrieve_menu, apply_promos, "
                        + "confirm and search_documents");
            };
        } catch (ToolArguments.Invalid e) {
            outcome = rejected(e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof CancellationException) {
                // Its turn ended (the client went away) while the call was in flight; still recorded below.
                LOG.debugf("Tool %s abandoned in session %s", call.name(), turn.sessionId());
            } else {
                LOG.warnf(e, "Tool %s failed in session %s", call.name(), turn.sessionId());
            }
            outcome = new ToolOutcome(ToolOutcome.ERROR, error("The " + call.name() + " tool failed; try again later"),
                    e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        span.setAttribute("ragline.tool.outcome", outcome.outcome());
        if (!outcome.ok()) {
            span.setStatus(StatusCode.ERROR, String.valueOf(outcome.error()));
        }
        span.end();
        return record(turn, call, arguments, outcome, durationMs);
    }

    /** Refuses a call without running it (the per-turn cap), recorded like any other execution. */
    public ToolExecution refuse(ChatTurn turn, ToolCall call, String why) {
        return record(turn, call, call.arguments(), rejected(why), 0);
    }

    private ToolExecution record(ChatTurn turn, ToolCall call, JsonNode arguments, ToolOutcome outcome,
            long durationMs) {
        meters.counter("ragline_llm_tool_calls", "tool", known(call.name()), "outcome", outcome.outcome()).increment();
        return new ToolExecution(outcome, events.eventOf(turn, publishedCall(call), arguments, outcome, durationMs));
    }

    /** The catalogue items found by the latest retrieve_menu of this session, for follow-up questions. */
    public List<CatalogueItem> lastShown(ChatTurn turn) {
        return memory.lastShown(turn.caller().tenantId(), turn.sessionId());
    }

    public Optional<PendingCart> pendingCart(ChatTurn turn) {
        return memory.pendingCart(turn.caller().tenantId(), turn.sessionId());
    }

    private ToolOutcome retrieveMenu(ChatTurn turn, JsonNode arguments) {
        MenuQuery query = ToolArguments.menuQuery(arguments, config.catalogue().retrieveLimit());
        List<CatalogueItem> items = menu.retrieve(turn.caller().tenantId(), query);
        if (items.isEmpty() && query.category() != null && !arguments.path("category").isTextual()) {
            // The section was read from the customer's words in common spelling; this menu may name it otherwise.
            items = menu.retrieve(turn.caller().tenantId(), query.withCategory(null));
        }
        memory.remember(turn.caller().tenantId(), turn.sessionId(), items);
        ObjectNode result = mapper.createObjectNode();
        result.put("count", items.size());
        var list = result.putArray("items");
        for (CatalogueItem item : items) {
            ObjectNode node = list.addObject()
                    .put("id", item.id().toString())
                    .put("name", item.name())
                    .put("price", item.price())
                    .put("currency", item.currency())
                    .put("category", item.category())
                    .put("description", item.description());
            item.tags().forEach(node.putArray("tags")::add);
        }
        return new ToolOutcome(ToolOutcome.OK, result, null, null);
    }

    private ToolOutcome applyPromos(ChatTurn turn, JsonNode arguments) {
        List<CartLine> lines = ToolArguments.cart(arguments);
        String promoCode = ToolArguments.promoCode(arguments);
        ApiService.Answer answer = api.price(turn.caller(), cartBody(lines, promoCode));
        if (!answer.successful()) {
            return refusal(answer);
        }
        memory.holdCart(turn.caller().tenantId(), turn.sessionId(),
                new PendingCart(lines, promoCode, turn.number(), answer.body()));
        ObjectNode result = answer.body().deepCopy();
        result.put("next_step", "Summarise this cart to the customer and ask them to confirm before ordering.");
        return new ToolOutcome(ToolOutcome.OK, result, null, null);
    }

    private ToolOutcome confirm(ChatTurn turn, JsonNode arguments) {
        Optional<PendingCart> pending = pendingCart(turn);
        if (pending.isEmpty()) {
            return rejected("There is no priced cart to confirm: price it with apply_promos and summarise it first.");
        }
        PendingCart cart = pending.get();
        if (cart.turn() >= turn.number()) {
            return rejected("The cart was only just summarised: the customer must confirm it in their next message.");
        }
        if (!Confirmation.isExplicit(turn.message())) {
            return rejected("The customer's latest message does not explicitly confirm the order.");
        }
        if (arguments.has("items") && !sameCart(cart, ToolArguments.cart(arguments), ToolArguments.promoCode(arguments))) {
            return rejected("These items differ from the cart the customer confirmed; price the new cart with "
                    + "apply_promos and ask again.");
        }
        ApiService.Answer answer = api.placeOrder(turn.caller(), turn.idempotencyKey("confirm"),
                cartBody(cart.items(), cart.promoCode()));
        if (!answer.successful()) {
            return refusal(answer);
        }
        memory.clearCart(turn.caller().tenantId(), turn.sessionId());
        return new ToolOutcome(ToolOutcome.OK, answer.body(), null, answer.body().path("id").asText(null));
    }

    /**
     * ingest-service search over the tenant's documents, as the caller. Each passage carries what the answer
     * must cite: the document's title and where it came from (URL, else file name or source id). When
     * ingest-service cannot be reached the tool says the documents are unavailable instead of failing the turn.
     */
    private ToolOutcome searchDocuments(ChatTurn turn, JsonNode arguments) {
        ObjectNode request = mapper.createObjectNode().put("query", ToolArguments.documentQuery(arguments))
                .put("top_k", config.documents().topK()).put("mode", "hybrid");
        ApiService.Answer answer;
        try {
            answer = documents.search(turn.caller(), request);
        } catch (RuntimeException unreachable) {
            LOG.warnf("ingest-service search failed in session %s: %s", turn.sessionId(), unreachable.toString());
            return documentsUnavailable(unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage());
        }
        if (!answer.successful()) {
            if (answer.refusedTheRequest()) {
                return rejected(answer.problem());
            }
            return documentsUnavailable("ingest-service answered " + answer.status() + ": " + answer.problem());
        }
        ObjectNode result = mapper.createObjectNode();
        var passages = result.putArray("passages");
        for (JsonNode hit : answer.body().path("results")) {
            String text = hit.path("text").asText("");
            ObjectNode passage = passages.addObject()
                    .put("document_id", hit.path("document_id").asText(null))
                    .put("title", hit.path("title").asText(""))
                    .put("source", citationOf(hit))
                    .put("position", hit.path("position").asInt())
                    .put("score", hit.path("score").asDouble());
            passage.put("text", text.length() > 1500 ? text.substring(0, 1500) + "…" : text);
        }
        result.put("count", passages.size());
        result.put("instructions", "Answer only from these passages and cite each document you use by its title "
                + "and source.");
        return new ToolOutcome(ToolOutcome.OK, result, null, null);
    }

    /** Where a passage came from, for the citation: the page's URL, else the uploaded file's name or source id. */
    private static String citationOf(JsonNode hit) {
        for (String field : List.of("url", "source_id", "source")) {
            String value = hit.path(field).asText("");
            if (!value.isBlank() && !hit.path(field).isNull()) {
                return value;
            }
        }
        return "";
    }

    private ToolOutcome documentsUnavailable(String why) {
        ObjectNode result = error("The restaurant's documents (such as allergen sheets) are unavailable right now; "
                + "say so, do not guess, and suggest asking the staff.");
        result.put("documents_available", false);
        return new ToolOutcome(ToolOutcome.ERROR, result, why, null);
    }

    private static boolean sameCart(PendingCart cart, List<CartLine> lines, String promoCode) {
        return quantities(cart.items()).equals(quantities(lines))
                && (promoCode == null || Objects.equals(promoCode, cart.promoCode()));
    }

    private static Map<String, Integer> quantities(List<CartLine> lines) {
        Map<String, Integer> byProduct = new HashMap<>();
        lines.forEach(line -> byProduct.merge(line.productId(), line.quantity(), Integer::sum));
        return byProduct;
    }

    private ObjectNode cartBody(List<CartLine> lines, String promoCode) {
        ObjectNode body = mapper.createObjectNode();
        var items = body.putArray("items");
        lines.forEach(line -> items.addObject().put("product_id", line.productId()).put("quantity", line.quantity()));
        if (promoCode != null) {
            body.put("promo_code", promoCode);
        }
        return body;
    }

    private ToolOutcome refusal(ApiService.Answer answer) {
        if (answer.refusedTheRequest()) {
            return rejected(answer.problem());
        }
        return new ToolOutcome(ToolOutcome.ERROR, error("api-service could not do this now (" + answer.status() + ")"),
                "api-service answered " + answer.status() + ": " + answer.problem(), null);
    }

    private ToolOutcome rejected(String why) {
        return new ToolOutcome(ToolOutcome.REJECTED, error(why), why, null);
    }

    private ObjectNode error(String message) {
        return mapper.createObjectNode().put("error", message);
    }

    /** Events and metrics name only the catalogued tools: an invented name from a model is recorded as unknown. */
    private static String known(String name) {
        return ToolCatalog.ALL.stream().anyMatch(spec -> spec.name().equals(name)) ? name : "unknown";
    }

    private static ToolCall publishedCall(ToolCall call) {
        return new ToolCall(call.id() == null || call.id().isBlank() ? "unnamed" : call.id(), known(call.name()),
                call.arguments());
    }
}
