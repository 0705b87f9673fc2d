package dev.ragline.ingest.source.file;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;

/** The upload formats Rake reads, recognised from their bytes and name the way Tika does. */
@ApplicationScoped
public class UploadFormats {

    public enum Kind {
        TEXT,
        HTML,
        DOCUMENT
    }

    private static final Map<String, Kind> SUPPORTED = Map.ofEntries(
            Map.entry("text/plain", Kind.TEXT),
            Map.entry("text/markdown", Kind.TEXT),
            Map.entry("text/x-web-markdown", Kind.TEXT),
            Map.entry("text/csv", Kind.TEXT),
            Map.entry("application/json", Kind.TEXT),
            Map.entry("text/html", Kind.HTML),
            Map.entry("application/xhtml+xml", Kind.HTML),
            Map.entry("application/pdf", Kind.DOCUMENT),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Kind.DOCUMENT));

    private final Detector detector = TikaConfig.getDefaultConfig().getDetector();

    /** The media type of an upload, or empty when Rake does not read that format. */
    public Optional<String> supportedMediaType(String filename, byte[] content) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, filename);
        try (TikaInputStream stream = TikaInputStream.get(new ByteArrayInputStream(content))) {
            MediaType type = detector.detect(stream, metadata).getBaseType();
            return kindOf(type.toString()).map(kind -> type.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Kind> kindOf(String mediaType) {
        return Optional.ofNullable(SUPPORTED.get(mediaType));
    }

    public String supportedList() {
        return "txt, md, csv, json, html, pdf, docx";
    }
}
