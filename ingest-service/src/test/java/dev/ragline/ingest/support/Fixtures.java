package dev.ragline.ingest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;

/** Real documents made the way office tools make them: a PDF with PDFBox, a DOCX with Apache POI. */
public final class Fixtures {

    public static byte[] pdf(String title, String... lines) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.getDocumentInformation().setTitle(title);
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.setLeading(16);
                content.newLineAtOffset(72, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] docx(String heading, String... paragraphs) {
        try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XWPFParagraph title = document.createParagraph();
            title.setStyle("Heading1");
            title.createRun().setText(heading);
            for (String text : paragraphs) {
                document.createParagraph().createRun().setText(text);
            }
            document.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final String MESSY_HTML = """
            <!DOCTYPE html>
            <html><head><title>Store  opening&nbsp;hours</title>
            <style>body { color: red }</style>
            <script>window.tracking = "SECRET-TRACKER-ID";</script></head>
            <body>
              <nav><a href="/">Home</a> | <a href="/shop">Shop</a> | Navigation menu</nav>
              <header>Big banner header</header>
              <main>
                <h1>Opening   hours</h1>
                <p>Our flagship store in Lyon opens at <b>nine&nbsp;o'clock</b>
                   every weekday.</p>
                <ul><li>Monday to Friday: 9:00 to 19:00</li><li>Saturday: 10:00 to 17:00</li></ul>
                <table><tr><th>Day</th><th>Hours</th></tr><tr><td>Sunday</td><td>closed</td></tr></table>
                <div>Ｆｕｌｌｗｉｄｔｈ text and caf\u0065\u0301 are normalised.</div>
              </main>
              <footer>Copyright footer text</footer>
            </body></html>
            """;

    private Fixtures() {
    }
}
