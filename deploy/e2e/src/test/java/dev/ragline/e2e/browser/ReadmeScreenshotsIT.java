package dev.ragline.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import dev.ragline.e2e.support.RaglineSystem;

/**
 * A customer orders through the chat and staff move tickets through every column of the board; the two
 * pages are captured as the README's screenshots (into target/screenshots, or -Dragline.screenshots=DIR:
 * {@code -Dit.test=ReadmeScreenshotsIT -Dragline.screenshots=$PWD/docs/images} renews docs/images).
 */
class ReadmeScreenshotsIT {

    private final RaglineSystem system = RaglineSystem.shared();
    private final Path target = Path.of(System.getProperty("ragline.screenshots", "target/screenshots"));

    @Test
    void chatAndBoard() throws IOException {
        Files.createDirectories(target);
        Dimension window = new Dimension(1000, 720);
        try (Browser staff = Browser.open(system.frontDoor(), window);
                Browser customer = Browser.open(system.frontDoor(), window)) {
            staff.signIn("demo", "staff@demo.test", RaglineSystem.DEMO_PASSWORD);
            staff.go("#/board");
            staff.awaitLive("board-live");

            customer.signIn("demo", "customer@demo.test", RaglineSystem.DEMO_PASSWORD);
            customer.go("#/chat");
            customer.driver().findElement(By.xpath("//button[text()='New chat']")).click();
            customer.chat("two margherita pizzas and a tiramisu with WELCOME10")
                    .findElement(By.cssSelector("[data-testid=confirm-order]")).click();
            customer.await(d -> d.findElement(By.cssSelector("[data-testid=order-card]")));
            customer.script("document.querySelector('[data-testid=cart-card]').scrollIntoView({block: 'start'})");
            Files.write(target.resolve("chat.png"), customer.screenshot());

            Api api = new Api(system.frontDoor());
            String token = api.token("demo", "customer@demo.test");
            String[] dishes = { "Pizza Diavola", "Lasagne al forno", "Insalata caprese", "Spaghetti carbonara" };
            for (String dish : dishes) {
                api.placeOrder(token, api.productId(token, dish), 1);
            }
            staff.await(d -> d.findElements(By.cssSelector("[data-column=pending] .ticket")).size() >= dishes.length);
            move(staff, "pending", "confirmed", 3);
            move(staff, "confirmed", "preparing", 2);
            move(staff, "preparing", "ready", 1);
            Files.write(target.resolve("board.png"), staff.screenshot());
        }
        assertThat(target.resolve("chat.png")).isNotEmptyFile();
        assertThat(target.resolve("board.png")).isNotEmptyFile();
    }

    private static void move(Browser staff, String from, String to, int count) {
        for (int i = 0; i < count; i++) {
            int before = staff.all("[data-column=" + to + "] .ticket").size();
            staff.await(d -> d.findElement(By.cssSelector("[data-column=" + from + "] [data-action=" + to + "]"))).click();
            staff.await(d -> d.findElements(By.cssSelector("[data-column=" + to + "] .ticket")).size() > before);
        }
    }
}
