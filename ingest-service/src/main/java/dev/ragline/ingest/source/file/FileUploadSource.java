package dev.ragline.ingest.source.file;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ragline.ingest.job.repository.JobRepository.StoredFile;
import dev.ragline.ingest.source.RawDocument;
import dev.ragline.ingest.source.Source;
import dev.ragline.ingest.source.SourceContext;

/**
 * Files uploaded with the job. PDF and DOCX go through Tika; text formats are decoded with Tika's
 * charset detection; HTML is kept as HTML so CLEAN can keep its structure.
 */
@ApplicationScoped
public class FileUploadSource implements Source {

    public static final String NAME = "file_upload";

    private final UploadFormats formats;
    private final AutoDetectParser parser = new AutoDetectParser();

    FileUploadSource(UploadFormats formats) {
        this.formats = formats;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ObjectNode validate(ObjectNode params) {
        // The files themselves are checked where they are received (FileUploads).
        return params;
    }

    @Override
    public void fetch(SourceContext context, JsonNode params) {
        for (StoredFile file : context.uploadedFiles()) {
            context.checkpoint();
            RawDocument document;
            try {
                document = read(file);
            } catch (IOException | TikaException | SAXException | RuntimeException e) {
                context.documentFailed(file.filename(), "unreadable " + file.mediaType() + ": " + e.getMessage());
                continue;
            }
            // Outside the try: emitting may run the later stages, whose failures (or a cancellation) are the job's.
            context.emit(document);
        }
    }

    private RawDocument read(StoredFile file) throws IOException, TikaException, SAXException {
        UploadFormats.Kind kind = formats.kindOf(file.mediaType())
                .orElseThrow(() -> new IOException("unsupported format " + file.mediaType()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("filename", file.filename());
        metadata.put("media_type", file.mediaType());
        return switch (kind) {
            case TEXT -> new RawDocument(file.filename(), file.filename(), null, false, decode(file.content()), metadata);
            case HTML -> new RawDocument(file.filename(), file.filename(), null, true, decode(file.content()), metadata);
            case DOCUMENT -> parse(file, metadata);
        };
    }

    private static String decode(byte[] content) throws IOException, TikaException {
        try (AutoDetectReader reader = new AutoDetectReader(new ByteArrayInputStream(content))) {
            java.io.StringWriter text = new java.io.StringWriter();
            reader.transferTo(text);
            return text.toString();
        }
    }

    private RawDocument parse(StoredFile file, Map<String, Object> metadata)
            throws IOException, TikaException, SAXException {
        Metadata tika = new Metadata();
        tika.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.filename());
        BodyContentHandler text = new BodyContentHandler(-1);
        try (InputStream in = new ByteArrayInputStream(file.content())) {
            parser.parse(in, text, tika, new ParseContext());
        }
        String title = tika.get(TikaCoreProperties.TITLE);
        if (tika.get(TikaCoreProperties.CREATOR) != null) {
            metadata.put("author", tika.get(TikaCoreProperties.CREATOR));
        }
        return new RawDocument(file.filename(), title == null || title.isBlank() ? file.filename() : title, null, false,
                text.toString(), metadata);
    }
}
