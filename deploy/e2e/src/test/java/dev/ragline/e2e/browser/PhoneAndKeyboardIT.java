package dev.ragline.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.ragline.e2e.support.RaglineSystem;

/** The client on a phone-sized screen, and used with the keyboard alone. */
class PhoneAndKeyboardIT {

    private final RaglineSystem system = RaglineSystem.shared();

    @Test
    void onAPhoneSizedViewportNoPageScrollsSideways() {
        try (Browser phone = Browser.open(system.frontDoor(), new Dimension(390, 844))) {
            phone.signIn("demo", "staff@demo.test", RaglineSystem.DEMO_PASSWORD);
            for (String page : new String[] { "#/menu", "#/board", "#/documents" }) {
                phone.go(page);
                phone.await(d -> d.findElement(By.cssSelector("main h1")));
                phone.await(d -> d.findElements(By.cssSelector("[aria-busy=true]")).isEmpty());
                assertThat((Long) phone.script("return document.documentElement.scrollWidth - window.innerWidth"))
                        .as("sideways overflow on %s", page).isLessThanOrEqualTo(0L);
            }
        }
    }

    @Test
    void aCustomerSignsInAndSearchesTheMenuWithTheKeyboardOnly() {
        try (Browser browser = Browser.open(system.frontDoor())) {
            browser.go("");
            WebElement tenant = browser.await(d -> d.findElement(By.id("tenant")));
            assertThat(browser.driver().switchTo().activeElement()).isEqualTo(tenant);
            Actions keys = new Actions(browser.driver());
            // Modifiers pressed and released explicitly: a chord inside Actions.sendKeys can leave Control held.
            keys.keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL)
                    .sendKeys("demo", Keys.TAB, "customer@demo.test", Keys.TAB, RaglineSystem.DEMO_PASSWORD, Keys.ENTER)
                    .perform();
            browser.await(d -> d.findElement(By.id("menu-q")));
            browser.driver().findElement(By.id("menu-q")).sendKeys("tiramisu", Keys.ENTER);
            browser.await(d -> d.findElements(By.cssSelector("#menu-results .product h3")).stream()
                    .anyMatch(title -> title.getText().equals("Tiramisu")));
            assertThat(browser.all("#menu-results .product h3")).extracting(WebElement::getText).contains("Tiramisu");
        }
    }
}
