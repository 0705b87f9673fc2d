package dev.ragline.llm.chat.service;

/** A turn failed in a way the client is told about in an {@code error} event with a stable type. */
public class ChatFailure extends RuntimeException {

    private final String type;

    public ChatFailure(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
