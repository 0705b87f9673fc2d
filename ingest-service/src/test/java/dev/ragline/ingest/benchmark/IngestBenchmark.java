package dev.ragline.ingest.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.pipeline.ChunkPlan;
import dev.ragline.ingest.pipeline.Chunker;
import dev.ragline.ingest.pipeline.Pipeline;
import dev.ragline.ingest.support.Rake;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Run by deploy/load/ingest-benchmark.sh, never by the normal build (tag "benchmark"). Prints
 * pipeline throughput next to the raw model's on the same chunks ({@link SearchBenchmark} times search).
 */
@QuarkusTest
@Tag("benchmark")
class IngestBenchmark {

    private static final int DOCUMENTS = Integer.getInteger("bench.documents", 40);

    @Inject
    Pipeline pipeline;

    @Inject
    Chunker chunker;

    @Inject
    Embedder embedder;

    private final List<String> report = new ArrayList<>();

    @Test
    void ingestion_throughput_and_search_latency() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            texts.add(BenchText.document(i));
        }
        ChunkPlan plan = pipeline.chunkPlan(new ObjectMapper().readTree("{}"));
        Chunker.ModelWindow window = new Chunker.ModelWindow(embedder.modelTokenCounter(), embedder.maxModelTokens());
        List<String> chunks = texts.stream().flatMap(text -> chunker.chunk(text, plan, window).stream())
                .map(chunk -> chunk.text()).toList();
        embedder.embed(chunks.subList(0, 100)); // warm-up

        double rawBefore = rawChunksPerSecond(chunks);
        double pipelineRate = pipelineChunksPerSecond(texts, chunks.size());
        double rawAfter = rawChunksPerSecond(chunks);
        double raw = (rawBefore + rawAfter) / 2;
        line("ingest: %d documents, %d chunks (chunk plan %s)", DOCUMENTS, chunks.size(), plan);
        line("raw model (in-process %s, batches of 100): %.1f chunks/s (before %.1f, after %.1f)", embedder.model(), raw,
                rawBefore, rawAfter);
        line("pipeline (POST /api/v1/jobs to COMPLETED): %.1f chunks/s, overhead %.1f %%", pipelineRate,
                100 * (1 - pipelineRate / raw));

        Files.write(Path.of("target/ingest-benchmark.txt"), report);
    }

    private double rawChunksPerSecond(List<String> chunks) {
        long start = System.nanoTime();
        for (int from = 0; from < chunks.size(); from += 100) {
            embedder.embed(chunks.subList(from, Math.min(chunks.size(), from + 100)));
        }
        return chunks.size() / ((System.nanoTime() - start) / 1e9);
    }

    private double pipelineChunksPerSecond(List<String> texts, int expectedChunks) {
        Rake rake = Rake.forNewTenant("bench-ingest");
        List<Map<String, String>> files = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            files.add(Map.of("filename", "doc-" + i + ".txt", "content", texts.get(i)));
        }
        long start = System.nanoTime();
        String jobId = rake.submit(Map.of("source", "file_upload", "files", files));
        JsonPath job = rake.awaitCompleted(jobId);
        double wall = (System.nanoTime() - start) / 1e9;
        assertThat(job.getInt("progress.chunks_total")).isEqualTo(expectedChunks);
        Duration running = Duration.between(OffsetDateTime.parse(job.getString("started_at")),
                OffsetDateTime.parse(job.getString("completed_at")));
        line("pipeline job: %.2f s running (%.2f s from POST to COMPLETED seen by polling)", running.toMillis() / 1e3,
                wall);
        return expectedChunks / (running.toMillis() / 1e3);
    }

    private void line(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCHMARK " + line);
        report.add(line);
    }
}
