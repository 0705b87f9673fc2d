package dev.ragline.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import dev.ragline.e2e.support.RaglineSystem;
import dev.ragline.e2e.support.Service;
import dev.ragline.e2e.support.ServiceInstance;

/**
 * Two replicas of everything behind the front door. The api-service instance holding the staff board's
 * order stream dies (SIGKILL); the browser's own EventSource reconnects through the front door to the
 * other instance with its Last-Event-ID, and every order placed meanwhile shows up exactly once.
 */
class BoardStreamFailoverIT {

    private static final Pattern CLIENTS = Pattern.compile("(?m)^ragline_stream_clients(?:\\{[^}]*})?\\s+([0-9.eE+-]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RaglineSystem system;

    @BeforeAll
    static void twoReplicas() {
        system = RaglineSystem.builder().replicas(2).demoData().start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void ordersPlacedWhileTheStreamsInstanceIsDeadAppearOnceEachAfterTheBrowserReconnects() {
        Api api = new Api(system.frontDoor());
        String customer = api.token("demo", "customer@demo.test");
        String tiramisu = api.productId(customer, "Tiramisu");

        try (Browser staff = Browser.open(system.frontDoor())) {
            staff.signIn("demo", "staff@demo.test", RaglineSystem.DEMO_PASSWORD);
            staff.go("#/board");
            staff.awaitLive("board-live");
            List<String> orders = new ArrayList<>();
            orders.add(api.placeOrder(customer, tiramisu, 1));
            staff.await(d -> d.findElement(By.cssSelector("[data-column=pending] [data-order-id='" + orders.get(0) + "']")));

            ServiceInstance holder = streamHolder();
            ServiceInstance other = system.instances(Service.API).stream().filter(i -> i != holder).findFirst().orElseThrow();
            holder.kill();
            for (int i = 0; i < 5; i++) {
                orders.add(api.placeOrder(customer, tiramisu, 1 + i));
            }

            staff.await(Duration.ofSeconds(60), d -> orders.stream().allMatch(id -> !d
                    .findElements(By.cssSelector("[data-column=pending] [data-order-id='" + id + "']")).isEmpty()));
            assertThat(streamClients(other)).as("the board's stream is now on the surviving instance").isEqualTo(1);
            for (String id : orders) {
                assertThat(staff.all("#board-feed li[data-type=order_created][data-order-id='" + id + "']"))
                        .as("order_created events of %s the browser received", id).hasSize(1);
                assertThat(staff.all(".board [data-order-id='" + id + "']")).as("tickets of %s", id).hasSize(1);
            }
            assertThat(staff.driver().findElement(By.id("board-live")).getText()).isEqualTo("Live");
        }
    }

    /** The one api-service instance with an open order stream: the board's. */
    private static ServiceInstance streamHolder() {
        List<ServiceInstance> holding = system.instances(Service.API).stream().filter(i -> streamClients(i) > 0).toList();
        assertThat(holding).as("instances holding the board's stream").hasSize(1);
        return holding.getFirst();
    }

    private static int streamClients(ServiceInstance instance) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(instance.uri().resolve(URI.create("/q/metrics"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = CLIENTS.matcher(metrics);
            double open = 0;
            while (matcher.find()) {
                open += Double.parseDouble(matcher.group(1));
            }
            return (int) open;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
