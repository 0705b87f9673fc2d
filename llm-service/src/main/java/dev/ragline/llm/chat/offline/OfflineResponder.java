package dev.ragline.llm.chat.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.llm.catalogue.CatalogueItem;
import dev.ragline.llm.catalogue.MenuRequest;
import dev.ragline.llm.chat.ChatTurn;
import dev.ragline.llm.chat.memory.MemoryMessage;
import dev.ragline.llm.chat.memory.PendingCart;
import dev.ragline.llm.chat.memory.PendingCart.CartLine;
import dev.ragline.llm.chat.service.ChatResponder;
import dev.ragline.llm.chat.service.TurnReply;
import dev.ragline.llm.chat.service.TurnSink;
import dev.ragline.llm.tools.ToolCall;
import dev.ragline.llm.tools.ToolCatalog;
import dev.ragline.llm.tools.ToolOutcome;
import dev.ragline.llm.tools.service.ChatTools;

/**
 * The built-in demo and test responder used when no model provider is configured. It is not a language
 * model: it picks a tool by embedding similarity to the tool descriptions, reads arguments with plain
 * parsing, answers from tool results with fixed templates and streams the answer word by word.
 * Deterministic and network-free, so `./ragline up` works without keys and tests can rely on it.
 */
public class OfflineResponder implements ChatResponder {

    private final ToolChooser chooser;
    private final ChatTools tools;
    private final ObjectMapper mapper;

    public OfflineResponder(ToolChooser chooser, ChatTools tools, ObjectMapper mapper) {
        this.chooser = chooser;
        this.tools = tools;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public TurnReply respond(ChatTurn turn, List<MemoryMessage> history, TurnSink sink) throws InterruptedException {
        Calls calls = new Calls(turn, sink);
        long choosing = System.nanoTime();
        String tool = chooser.choose(turn.message());
        sink.modelWorked(System.nanoTime() - choosing);
        String answer = switch (tool) {
            case ToolCatalog.CONFIRM -> confirm(turn, calls);
            case ToolCatalog.APPLY_PROMOS -> price(turn, calls);
            case ToolCatalog.SEARCH_DOCUMENTS -> AnswerTemplates.documents(calls.run(ToolCatalog.SEARCH_DOCUMENTS,
                    mapper.createObjectNode().put("query", turn.message())));
            default -> searchMenu(turn, calls);
        };
        long words = stream(answer, sink);
        return new TurnReply(answer, turn.message().split("\\s+").length, words);
    }

    private String searchMenu(ChatTurn turn, Calls calls) {
        // Spelled out as arguments, the filters show in the tool call the client sees; retrieve_menu reads the
        // same ones out of the query again, as it does for a model that leaves them there.
        MenuRequest request = MenuRequest.read(turn.message());
        ObjectNode arguments = mapper.createObjectNode().put("query", turn.message());
        if (request.maxPrice() != null) {
            arguments.put("max_price", request.maxPrice());
        }
        request.tags().forEach(arguments.withArray("tags")::add);
        request.excludedTags().forEach(arguments.withArray("exclude_tags")::add);
        return AnswerTemplates.menu(calls.run(ToolCatalog.RETRIEVE_MENU, arguments), request.tags(),
                request.maxPrice());
    }

    private String price(ChatTurn turn, Calls calls) {
        Optional<PendingCart> pending = tools.pendingCart(turn);
        List<CartLine> lines = resolve(turn, calls);
        String promoCode = RequestParser.promoCode(turn.message())
                .orElse(pending.map(PendingCart::promoCode).orElse(null));
        if (lines.isEmpty() && pending.isPresent()) {
            lines = pending.get().items();
        }
        if (lines.isEmpty()) {
            return AnswerTemplates.askForItems();
        }
        return AnswerTemplates.priced(calls.run(ToolCatalog.APPLY_PROMOS, cart(lines, promoCode)));
    }

    private String confirm(ChatTurn turn, Calls calls) {
        ObjectNode arguments = tools.pendingCart(turn).map(cart -> cart(cart.items(), cart.promoCode()))
                .orElseGet(mapper::createObjectNode);
        return AnswerTemplates.confirmed(calls.run(ToolCatalog.CONFIRM, arguments));
    }

    /** Matches each mentioned dish to the items shown last, else to the best retrieve_menu hit. */
    private List<CartLine> resolve(ChatTurn turn, Calls calls) {
        List<CatalogueItem> shown = tools.lastShown(turn);
        List<CartLine> lines = new ArrayList<>();
        for (RequestParser.Mention mention : RequestParser.mentions(turn.message())) {
            Optional<CatalogueItem> match = bestNamed(mention.words(), shown);
            if (match.isEmpty() && mention.words().length() > 2) {
                ToolOutcome found = calls.run(ToolCatalog.RETRIEVE_MENU,
                        mapper.createObjectNode().put("query", mention.words()));
                match = bestNamed(mention.words(), tools.lastShown(turn));
                if (match.isEmpty() && found.ok() && found.result().path("count").asInt() > 0
                        && RequestParser.mentions(turn.message()).size() == 1) {
                    match = tools.lastShown(turn).stream().findFirst();
                }
                shown = tools.lastShown(turn);
            }
            match.ifPresent(item -> lines.add(new CartLine(item.id().toString(), mention.quantity())));
        }
        return lines;
    }

    private static Optional<CatalogueItem> bestNamed(String words, List<CatalogueItem> items) {
        Set<String> mentioned = stems(words);
        CatalogueItem best = null;
        double bestScore = 0;
        for (CatalogueItem item : items) {
            Set<String> name = stems(item.name());
            long common = name.stream().filter(mentioned::contains).count();
            double score = name.isEmpty() ? 0 : (double) common / name.size();
            if (score > bestScore) {
                best = item;
                bestScore = score;
            }
        }
        return bestScore >= 0.5 ? Optional.of(best) : Optional.empty();
    }

    private static Set<String> stems(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(word -> word.length() > 1)
                .map(word -> word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word)
                .collect(Collectors.toSet());
    }

    private ObjectNode cart(List<CartLine> lines, String promoCode) {
        ObjectNode arguments = mapper.createObjectNode();
        lines.forEach(line -> arguments.withArray("items").addObject().put("product_id", line.productId())
                .put("quantity", line.quantity()));
        if (promoCode != null) {
            arguments.put("promo_code", promoCode);
        }
        return arguments;
    }

    private static long stream(String answer, TurnSink sink) throws InterruptedException {
        String[] words = answer.split(" ");
        for (int i = 0; i < words.length; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("The client went away");
            }
            sink.token(i == words.length - 1 ? words[i] : words[i] + " ");
        }
        return words.length;
    }

    /** Numbers this turn's tool calls and records each decision before running it. */
    private static final class Calls {

        private final ChatTurn turn;
        private final TurnSink sink;
        private int count;

        Calls(ChatTurn turn, TurnSink sink) {
            this.turn = turn;
            this.sink = sink;
        }

        ToolOutcome run(String tool, ObjectNode arguments) {
            ToolCall call = new ToolCall("call_" + turn.number() + "_" + (++count), tool, arguments);
            sink.toolCallsDecided(null, List.of(call));
            return sink.runTool(call);
        }
    }
}
