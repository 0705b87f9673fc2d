package dev.ragline.worker.deadletter.rest;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.ragline.worker.deadletter.DeadLetter;
import dev.ragline.worker.deadletter.DeadLetterNotFoundException;
import dev.ragline.worker.deadletter.DeadLetterRepository;
import dev.ragline.worker.deadletter.DeadLetters;
import dev.ragline.worker.security.Caller;

/**
 * Dead letters: a platform admin sees and replays every tenant's, a tenant admin only its own
 * (another tenant's letter answers 404, like a missing one).
 */
@Path("/v1/dlq")
@RolesAllowed({ "admin", "platform_admin" })
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    public record DeadLetterPage(@JsonProperty("items") List<DeadLetter> items) {
    }

    private final DeadLetterRepository letters;
    private final DeadLetters deadLetters;
    private final Caller caller;

    DeadLetterResource(DeadLetterRepository letters, DeadLetters deadLetters, Caller caller) {
        this.letters = letters;
        this.deadLetters = deadLetters;
        this.caller = caller;
    }

    @GET
    public DeadLetterPage list(@QueryParam("status") @Pattern(regexp = "parked|recovered") String status,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return new DeadLetterPage(letters.list(scope(), Optional.ofNullable(status), limit));
    }

    @POST
    @Path("/{id}/replay")
    public DeadLetter replay(@PathParam("id") String id) {
        return deadLetters.replay(parse(id), scope());
    }

    private Optional<UUID> scope() {
        return caller.isPlatformAdmin() ? Optional.empty() : Optional.of(caller.tenantId());
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new DeadLetterNotFoundException(id);
        }
    }
}
