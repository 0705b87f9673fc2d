package dev.ragline.llm.support;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import dev.ragline.llm.catalogue.service.MenuRetriever;
import io.quarkus.test.common.http.TestHTTPResource;

/** Each chat test opens a fresh restaurant: a new tenant with the {@link Menus} menu and one customer. */
public abstract class RestaurantChat {

    @TestHTTPResource("/")
    protected URI base;

    @Inject
    protected MenuRetriever retriever;

    protected SseClient chat;
    protected UUID tenant;
    protected Map<String, UUID> menu;
    protected Tokens.User customer;

    @BeforeEach
    void openRestaurant() {
        chat = new SseClient(base);
        tenant = UUID.randomUUID();
        menu = Menus.seed(tenant, retriever);
        customer = Tokens.customerOf(tenant);
    }
}
