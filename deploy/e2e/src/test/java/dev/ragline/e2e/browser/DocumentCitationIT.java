package dev.ragline.e2e.browser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.ragline.e2e.support.RaglineSystem;

/** An admin uploads a PDF and watches its job finish; a customer's chat question is answered from it, cited. */
class DocumentCitationIT {

    private final RaglineSystem system = RaglineSystem.shared();

    @Test
    void anUploadedPdfIsCitedInTheCustomersChatAnswer() throws IOException {
        String mark = UUID.randomUUID().toString().substring(0, 8);
        Path pdf = allergenSheet(mark);
        try {
            uploadAndWatch(pdf, mark);
            askAndSeeItCited(mark);
        } finally {
            removeDocuments(mark);
        }
    }

    private void uploadAndWatch(Path pdf, String mark) {
        try (Browser admin = Browser.open(system.frontDoor())) {
            admin.signIn("demo", "admin@demo.test", RaglineSystem.DEMO_PASSWORD);
            admin.go("#/documents");
            admin.await(d -> d.findElement(By.id("doc-files"))).sendKeys(pdf.toString());
            admin.driver().findElement(By.id("doc-upload")).click();

            admin.await(Duration.ofSeconds(120),
                    d -> "COMPLETED".equals(d.findElement(By.cssSelector("[data-testid=job-status]")).getText()));
            assertThat(admin.all("#job .stages li.done")).as("stages shown done").hasSize(5);
            admin.await(d -> d.findElement(By.id("documents-body")).getText().contains(pdf.getFileName().toString())
                    || d.findElement(By.id("documents-body")).getText().contains("Allergen sheet " + mark));
        }
    }

    private void askAndSeeItCited(String mark) {
        try (Browser customer = Browser.open(system.frontDoor())) {
            customer.signIn("demo", "customer@demo.test", RaglineSystem.DEMO_PASSWORD);
            customer.go("#/chat");
            WebElement reply = customer.chat("Which allergens are in the tiramisu?");
            WebElement card = reply.findElement(By.cssSelector("[data-testid=documents-card]"));
            assertThat(card.findElement(By.cssSelector("[data-testid=citation]")).getText()).contains(mark);
            assertThat(card.getText()).contains("mascarpone");
            assertThat(reply.findElement(By.className("text")).getText()).contains(mark);
        }
    }

    /** A one-page PDF with a text layer, titled with this run's mark so its citation is recognisable. */
    private static Path allergenSheet(String mark) throws IOException {
        Path file = Files.createTempDirectory("ragline-pdf-").resolve("allergens-" + mark + ".pdf");
        try (PDDocument document = new PDDocument()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle("Allergen sheet " + mark);
            document.setDocumentInformation(info);
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.setLeading(16);
                text.newLineAtOffset(72, 720);
                for (String line : List.of("Allergen sheet " + mark,
                        "Tiramisu allergens: the tiramisu contains egg, milk (mascarpone) and gluten (savoiardi).",
                        "Cannoli siciliani allergens: milk (ricotta), gluten and tree nuts (pistachio).")) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
            document.save(file.toFile());
        }
        return file;
    }

    /** Other scenarios of the shared system ask about documents too: leave none of this one's behind. */
    private void removeDocuments(String mark) {
        String admin = new Api(system.frontDoor()).token("demo", "admin@demo.test");
        List<java.util.Map<String, Object>> docs = given().baseUri(system.frontDoor().toString()).auth().oauth2(admin)
                .queryParam("size", 100).get("/api/v1/documents").then().statusCode(200).extract().jsonPath()
                .getList("items");
        docs.stream().filter(doc -> String.valueOf(doc.get("title")).contains(mark)
                || String.valueOf(doc.get("source_id")).contains(mark))
                .forEach(doc -> given().baseUri(system.frontDoor().toString()).auth().oauth2(admin)
                        .delete("/api/v1/documents/" + doc.get("document_id")).then().statusCode(204));
    }
}
