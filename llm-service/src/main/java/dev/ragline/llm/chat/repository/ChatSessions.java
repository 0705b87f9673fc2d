package dev.ragline.llm.chat.repository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.chat.ChatMessage;
import dev.ragline.llm.chat.ChatSession;
import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.TenantTransactions;
import dev.ragline.llm.common.TenantTransactions.Statement;
import dev.ragline.llm.tools.ToolCall;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Chat sessions and their messages; a session is only ever found by its own tenant and user. */
@ApplicationScoped
public class ChatSessions {

    private static final String COLUMNS = "id, title, turns, created_at, updated_at";
    private static final String INSERT_MESSAGE = "INSERT INTO chat_messages (session_id, tenant_id, turn, role, "
            + "content, tool_call_id, tool_name, tool_arguments, tool_result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TenantTransactions transactions;
    private final ObjectMapper mapper;

    ChatSessions(TenantTransactions transactions, ObjectMapper mapper) {
        this.transactions = transactions;
        this.mapper = mapper;
    }

    /** Creates the session, already in its first turn, with the customer's first message: one round trip. */
    public Uni<Void> openWithFirstMessage(Caller caller, UUID sessionId, String title, String message) {
        return transactions.pipelined(caller.tenantId(), List.of(
                new Statement("INSERT INTO chat_sessions (id, tenant_id, user_id, title, turns) "
                        + "VALUES ($1, $2, $3, $4, 1)", Tuple.of(sessionId, caller.tenantId(), caller.userId(), title)),
                message(caller, sessionId, 1, "user", message, null, null, null, null)))
                .replaceWithVoid();
    }

    public Optional<ChatSession> find(Caller caller, UUID sessionId) {
        return transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "SELECT " + COLUMNS + " FROM chat_sessions WHERE id = $1 AND tenant_id = $2 AND user_id = $3")
                .execute(Tuple.of(sessionId, caller.tenantId(), caller.userId()))
                .map(rows -> rows.size() == 0 ? Optional.<ChatSession> empty()
                        : Optional.of(toSession(rows.iterator().next()))));
    }

    public List<ChatSession> list(Caller caller, int limit) {
        return transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "SELECT " + COLUMNS + " FROM chat_sessions WHERE tenant_id = $1 AND user_id = $2 "
                        + "ORDER BY updated_at DESC LIMIT $3")
                .execute(Tuple.of(caller.tenantId(), caller.userId(), limit))
                .map(rows -> {
                    List<ChatSession> sessions = new ArrayList<>();
                    rows.forEach(row -> sessions.add(toSession(row)));
                    return sessions;
                }));
    }

    /** Starts the next turn of a session the caller owns and returns its number; empty when it has no such session. */
    public Optional<Integer> nextTurn(Caller caller, UUID sessionId) {
        RowSet<Row> rows = transactions.pipelined(caller.tenantId(), List.of(new Statement(
                "UPDATE chat_sessions SET turns = turns + 1, updated_at = now() "
                        + "WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING turns",
                Tuple.of(sessionId, caller.tenantId(), caller.userId()))))
                .await().atMost(TIMEOUT).getFirst();
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getInteger("turns"));
    }

    public Uni<Void> recordUserMessage(Caller caller, UUID sessionId, int turn, String message) {
        return transactions.pipelined(caller.tenantId(),
                List.of(message(caller, sessionId, turn, "user", message, null, null, null, null)))
                .replaceWithVoid();
    }

    /** The tool call's record in its session and its chat_tool_executed event in the outbox: one transaction. */
    public Uni<Void> recordToolCall(Caller caller, UUID sessionId, int turn, ToolCall call, JsonNode result,
            ObjectNode event) {
        return transactions.pipelined(caller.tenantId(), List.of(
                message(caller, sessionId, turn, "tool", null, call.id(), call.name(), call.arguments(), result),
                new Statement("INSERT INTO chat_tool_outbox (event_id, tenant_id, session_id, event) "
                        + "VALUES ($1, $2, $3, $4)",
                        Tuple.of(UUID.fromString(event.path("event_id").asText()),
                                caller.tenantId(), sessionId, event.toString()))))
                .replaceWithVoid();
    }

    public void record(Caller caller, UUID sessionId, int turn, String role, String content, String toolCallId,
            String toolName, JsonNode arguments, JsonNode result) {
        transactions.pipelined(caller.tenantId(), List.of(message(caller, sessionId, turn, role, content, toolCallId,
                toolName, arguments, result))).await().atMost(TIMEOUT);
    }

    private static Statement message(Caller caller, UUID sessionId, int turn, String role, String content,
            String toolCallId, String toolName, JsonNode arguments, JsonNode result) {
        return new Statement(INSERT_MESSAGE, Tuple.from(Arrays.<Object> asList(sessionId, caller.tenantId(), turn,
                role, content, toolCallId, toolName, json(arguments), json(result))));
    }

    public List<ChatMessage> messages(Caller caller, UUID sessionId) {
        return transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "SELECT m.turn, m.role, m.content, m.tool_call_id, m.tool_name, m.tool_arguments, m.tool_result, "
                        + "m.created_at FROM chat_messages m JOIN chat_sessions s ON s.id = m.session_id "
                        + "WHERE m.session_id = $1 AND s.tenant_id = $2 AND s.user_id = $3 ORDER BY m.id")
                .execute(Tuple.of(sessionId, caller.tenantId(), caller.userId()))
                .map(rows -> {
                    List<ChatMessage> messages = new ArrayList<>();
                    rows.forEach(row -> messages.add(new ChatMessage(row.getInteger("turn"), row.getString("role"),
                            row.getString("content"), row.getString("tool_call_id"), row.getString("tool_name"),
                            tree(row.getValue("tool_arguments")), tree(row.getValue("tool_result")),
                            row.getOffsetDateTime("created_at"))));
                    return messages;
                }));
    }

    public boolean delete(Caller caller, UUID sessionId) {
        return transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "DELETE FROM chat_sessions WHERE id = $1 AND tenant_id = $2 AND user_id = $3")
                .execute(Tuple.of(sessionId, caller.tenantId(), caller.userId()))
                .map(rows -> rows.rowCount() == 1));
    }

    private static ChatSession toSession(Row row) {
        return new ChatSession(row.getUUID("id"), row.getString("title"), row.getInteger("turns"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }

    private static Object json(JsonNode node) {
        return node == null ? null
                : new JsonObject(node.isObject() ? node.toString()
                        : "{\"value\":" + node + "}");
    }

    private JsonNode tree(Object value) {
        return value == null ? null : mapper.valueToTree(value instanceof JsonObject object ? object.getMap() : value);
    }
}
