package dev.ragline.llm.chat.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.llm.chat.ChatMessage;
import dev.ragline.llm.chat.ChatSession;
import dev.ragline.llm.common.Caller;
import dev.ragline.llm.common.TenantTransactions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Chat sessions and their messages; a session is only ever found by its own tenant and user. */
@ApplicationScoped
public class ChatSessions {

    private static final String COLUMNS = "id, title, turns, created_at, updated_at";

    private final TenantTransactions transactions;
    private final ObjectMapper mapper;

    ChatSessions(TenantTransactions transactions, ObjectMapper mapper) {
        this.transactions = transactions;
        this.mapper = mapper;
    }

    /** Creates a session already in its first turn (one statement before the first token, not two). */
    public void createInFirstTurn(Caller caller, UUID sessionId, String title) {
        transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "INSERT INTO chat_sessions (id, tenant_id, user_id, title, turns) VALUES ($1, $2, $3, $4, 1)")
                .execute(Tuple.of(sessionId, caller.tenantId(), caller.userId(), title)));
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

    /** Starts the next turn of a session the caller owns and returns its number. */
    public int nextTurn(Caller caller, UUID sessionId) {
        return transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "UPDATE chat_sessions SET turns = turns + 1, updated_at = now() "
                        + "WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING turns")
                .execute(Tuple.of(sessionId, caller.tenantId(), caller.userId()))
                .map(rows -> rows.iterator().next().getInteger("turns")));
    }

    public void record(Caller caller, UUID sessionId, int turn, String role, String content, String toolCallId,
            String toolName, JsonNode arguments, JsonNode result) {
        transactions.inTenant(caller.tenantId(), connection -> connection.preparedQuery(
                "INSERT INTO chat_messages (session_id, tenant_id, turn, role, content, tool_call_id, tool_name, "
                        + "tool_arguments, tool_result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(Arrays.<Object> asList(sessionId, caller.tenantId(), turn, role, content,
                        toolCallId, toolName, json(arguments), json(result)))));
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
