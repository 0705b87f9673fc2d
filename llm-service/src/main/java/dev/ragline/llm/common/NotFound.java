package dev.ragline.llm.common;

import java.util.UUID;

/** A resource that does not exist for this caller; another tenant's or user's answers exactly the same. */
public class NotFound extends RuntimeException {

    public NotFound(String what, UUID id) {
        super("No " + what + " " + id);
    }
}
