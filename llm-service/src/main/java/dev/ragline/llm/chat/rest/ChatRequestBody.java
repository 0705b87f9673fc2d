package dev.ragline.llm.chat.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.ragline.llm.common.Problems;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads a chat message's body on the event loop, before the endpoint's virtual thread runs. Without it Quarkus
 * REST reads the body of a blocking endpoint as a blocking stream: the virtual thread and the event loop hand
 * each chunk over under the connection's monitor, and in a profile under 20 concurrent chats about a tenth of
 * the samples were the event loop spinning on that monitor. With the body already read, Quarkus REST deserialises
 * it from memory. A body above {@link #LIMIT} is refused with 413 before any of it is buffered further.
 * HTTP/2 requests keep the blocking read: Quarkus REST pauses every request it takes over, which an HTTP/2 request
 * refuses once its body has been read.
 */
@ApplicationScoped
class ChatRequestBody {

    /** Far above the largest valid message (4000 characters, each at most 6 bytes once JSON-escaped). */
    static final long LIMIT = 64 * 1024;

    private static final String TOO_LARGE = """
            {"type":"https://ragline.dev/problems/chat-body-too-large","title":"Content Too Large","status":413,\
            "detail":"a chat request's body must be at most %d bytes"}""".formatted(LIMIT);

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(LIMIT);
        router.post("/v1/chat").order(RouteConstants.ROUTE_ORDER_BODY_HANDLER).handler(context -> {
            if (context.request().version() == HttpVersion.HTTP_2) {
                context.next();
            } else {
                body.handle(context);
            }
        }).failureHandler(context -> {
            // The body handler fails the route on its own; without this the client gets a bare 413.
            if (context.statusCode() == 413 && !context.response().headWritten()) {
                context.response().setStatusCode(413).putHeader("Content-Type", Problems.MEDIA_TYPE)
                        .end(TOO_LARGE);
            } else {
                context.next();
            }
        });
    }
}
