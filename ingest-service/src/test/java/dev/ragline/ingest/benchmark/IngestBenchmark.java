package dev.ragline.ingest.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ragline.ingest.document.repository.DocumentRepository;
import dev.ragline.ingest.embedding.Embedder;
import dev.ragline.ingest.pipeline.ChunkPlan;
import dev.ragline.ingest.pipeline.Chunker;
import dev.ragline.ingest.pipeline.Pipeline;
import dev.ragline.ingest.support.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Run by deploy/load/ingest-benchmark.sh, never by the normal build (tag "benchmark"). Prints
 * pipeline throughput next to the raw model's on the same chunks ({@link SearchBenchmark} times search).
 */
@QuarkusTest
@TestProfile(IngestBenchmark.OwnJobTopic.class)
@Tag("benchmark")
class IngestBenchmark {

    /**
     * The service as the tests run it (ragline_test), but on a job topic and group of its own: another JVM
     * consuming the test topic (a test run of any branch) would otherwise take some of the measured jobs.
     */
    public static class OwnJobTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "%test.mp.messaging.outgoing.rake-jobs-out.topic", "ragline.bench.ingest.rake.jobs",
                    "%test.mp.messaging.incoming.rake-jobs-in.topic", "ragline.bench.ingest.rake.jobs",
                    "%test.mp.messaging.incoming.rake-jobs-in.group.id", "ingest-service-bench-ingest");
        }
    }

    private static final int DOCUMENTS = Integer.getInteger("bench.documents", 40);
    /** Jobs, each between two raw runs of the model on the same chunks. */
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int WARM_UP_JOBS = Integer.getInteger("bench.warm-up-jobs", 8);

    @Inject
    Pipeline pipeline;

    @Inject
    Chunker chunker;

    @Inject
    Embedder embedder;

    @Inject
    DocumentRepository documents;

    @TestHTTPResource("/")
    URI base;

    private final ObjectMapper json = new ObjectMapper();

    private final List<String> report = new ArrayList<>();
    private final List<Double> rawCpuPerChunk = new ArrayList<>();
    private final List<Double> jobCpuPerChunk = new ArrayList<>();
    private final List<ProcCpu.Usage> rawUsage = new ArrayList<>();
    private final List<ProcCpu.Usage> jobUsage = new ArrayList<>();
    private final List<Long> jobStarts = new ArrayList<>();
    private final List<Long> jobTails = new ArrayList<>();

    @Test
    void ingestion_throughput_and_search_latency() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            texts.add(BenchText.document(i));
        }
        ChunkPlan plan = pipeline.chunkPlan(json.readTree("{}"));
        Chunker.ModelWindow window = new Chunker.ModelWindow(embedder.modelTokenCounter(), embedder.maxModelTokens());
        List<String> chunks = texts.stream().flatMap(text -> chunker.chunk(text, plan, window).stream())
                .map(chunk -> chunk.text()).toList();
        // Warm-up: the model, and whole jobs, so that no measured job pays for the JIT compiling the pipeline's code
        // (chunker, store, job bookkeeping, Jackson, the Kafka client) while the raw runs compare against a warm model.
        // The JIT's CPU during a job fell over the warm-up jobs (3.5, 1.1, 0.7, 0.7, 0.9, 0.6, 0.4, 0.2 ms a chunk in
        // one run); after one it still took 1.4 ms a chunk of each measured job, after three 0.7, after eight 0.3.
        embedder.embed(chunks.subList(0, 100));
        for (int i = 1; i <= WARM_UP_JOBS; i++) {
            pipelineChunksPerSecond("warm-up job " + i + " (not counted)", texts, chunks.size());
        }

        // Raw runs and jobs alternate, and each job is compared with the raw runs just before and after it,
        // so a machine whose load drifts during the run skews both sides of a comparison alike.
        List<Double> raws = new ArrayList<>(List.of(rawChunksPerSecond(chunks)));
        List<Double> jobs = new ArrayList<>();
        List<Double> overheads = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            jobs.add(pipelineChunksPerSecond("pipeline job " + (round + 1), texts, chunks.size()));
            raws.add(rawChunksPerSecond(chunks));
            overheads.add(100 * (1 - jobs.get(round) / ((raws.get(round) + raws.get(round + 1)) / 2)));
        }
        line("ingest: %d documents, %d chunks (chunk plan %s); load average %s", DOCUMENTS, chunks.size(), plan,
                loadAverage());
        line("raw model (in-process %s, batches of 100): %.1f chunks/s, median of %d runs %s", embedder.model(),
                median(raws), raws.size(), rounded(raws));
        line("pipeline (job started_at to completed_at): %.1f chunks/s, median of %d jobs %s", median(jobs), jobs.size(),
                rounded(jobs));
        line("pipeline overhead: %.1f %% (median; each job against the mean of the raw runs around it: %s)",
                median(overheads), rounded(overheads));
        // CPU is what a loaded machine distorts least: the job's extra CPU a chunk is what it takes from the model.
        // It counts this JVM only (not PostgreSQL's inserts into the HNSW index), and the job's includes its polling.
        line("this JVM's CPU a chunk: raw model median %.2f ms %s, jobs median %.2f ms %s (%.1f %% more)",
                median(rawCpuPerChunk), rounded(rawCpuPerChunk), median(jobCpuPerChunk), rounded(jobCpuPerChunk),
                100 * (median(jobCpuPerChunk) / median(rawCpuPerChunk) - 1));
        line("CPU a chunk by part (medians; /proc, threads by name), raw model | jobs:");
        for (String group : rawUsage.getFirst().jvmNanosByGroup().keySet()) {
            line("  JVM %-12s %6.2f | %6.2f ms", group,
                    medianPerChunk(rawUsage, u -> u.jvmNanosByGroup().get(group), chunks.size()),
                    medianPerChunk(jobUsage, u -> u.jvmNanosByGroup().get(group), chunks.size()));
        }
        line("  JVM, all threads  %6.2f | %6.2f ms", medianPerChunk(rawUsage, ProcCpu.Usage::jvmNanos, chunks.size()),
                medianPerChunk(jobUsage, ProcCpu.Usage::jvmNanos, chunks.size()));
        line("  PostgreSQL, the service's backends %6.2f | %6.2f ms",
                medianPerChunk(rawUsage, ProcCpu.Usage::postgresBackendNanos, chunks.size()),
                medianPerChunk(jobUsage, ProcCpu.Usage::postgresBackendNanos, chunks.size()));
        line("  PostgreSQL, background (WAL writer, checkpointer, autovacuum; shared with the server's other users)"
                + " %6.2f | %6.2f ms", medianPerChunk(rawUsage, ProcCpu.Usage::postgresBackgroundNanos, chunks.size()),
                medianPerChunk(jobUsage, ProcCpu.Usage::postgresBackgroundNanos, chunks.size()));
        line("job's fixed parts (medians): started_at to the first model batch %d ms, last model batch to completed_at %d ms",
                Math.round(median(jobStarts.stream().map(Long::doubleValue).toList())),
                Math.round(median(jobTails.stream().map(Long::doubleValue).toList())));

        Files.write(Path.of("target/ingest-benchmark.txt"), report);
    }

    private static double medianPerChunk(List<ProcCpu.Usage> usages, java.util.function.ToLongFunction<ProcCpu.Usage> part,
            int chunks) {
        return median(usages.stream().map(usage -> part.applyAsLong(usage) / 1e6 / chunks).toList());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** This JVM's and PostgreSQL's CPU, the latter for the service's own role on its own database. */
    private static ProcCpu procCpu() {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.reactive.url", String.class);
        return ProcCpu.start(config.getValue("quarkus.datasource.username", String.class),
                url.substring(url.lastIndexOf('/') + 1));
    }

    private String perChunk(ProcCpu.Usage usage, int chunks) {
        Map<String, String> parts = new LinkedHashMap<>();
        usage.jvmNanosByGroup().forEach((group, nanos) -> {
            if (nanos > 0) {
                parts.put(group, String.format("%.2f", nanos / 1e6 / chunks));
            }
        });
        return String.format("JVM %.2f ms %s; PostgreSQL backends %.2f ms, background %.2f ms", usage.jvmNanos() / 1e6 / chunks,
                parts, usage.postgresBackendNanos() / 1e6 / chunks, usage.postgresBackgroundNanos() / 1e6 / chunks);
    }

    /** With -Dbench.jit=true: what the JIT compiled during each job, by package (JFR's jdk.Compilation). */
    private static jdk.jfr.Recording compilationsRecording() {
        if (!Boolean.getBoolean("bench.jit")) {
            return null;
        }
        jdk.jfr.Recording recording = new jdk.jfr.Recording();
        recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        recording.start();
        return recording;
    }

    private void reportCompilations(jdk.jfr.Recording recording) {
        if (recording == null) {
            return;
        }
        recording.stop();
        try {
            Path file = Files.createTempFile("bench-jit", ".jfr");
            recording.dump(file);
            recording.close();
            Map<String, long[]> byPackage = new java.util.HashMap<>();
            for (jdk.jfr.consumer.RecordedEvent event : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
                jdk.jfr.consumer.RecordedMethod method = event.getValue("method");
                String type = method.getType().getName();
                String[] parts = type.split("\\.");
                String key = String.join(".", java.util.Arrays.copyOf(parts, Math.min(parts.length - 1, 4)));
                long[] sum = byPackage.computeIfAbsent(key, k -> new long[2]);
                sum[0]++;
                sum[1] += event.getDuration().toNanos();
            }
            Files.delete(file);
            line("  JIT during the job, by package (compilations, ms): %s", byPackage.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(12)
                    .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1] / 1_000_000).toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static List<String> rounded(List<Double> values) {
        return values.stream().map(value -> String.format("%.1f", value)).toList();
    }

    private double rawChunksPerSecond(List<String> chunks) {
        ProcCpu proc = procCpu();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        for (int from = 0; from < chunks.size(); from += 100) {
            embedder.embed(chunks.subList(from, Math.min(chunks.size(), from + 100)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rawCpuPerChunk.add((processCpuNanos() - cpu) / 1e6 / chunks.size());
        ProcCpu.Usage usage = proc.stop();
        rawUsage.add(usage);
        line("raw model: %.1f chunks/s; CPU a chunk: %s", chunks.size() / seconds, perChunk(usage, chunks.size()));
        return chunks.size() / seconds;
    }

    private double pipelineChunksPerSecond(String label, List<String> texts, int expectedChunks) throws Exception {
        // A tenant of its own, so no document is skipped as unchanged. Its collection (and that collection's HNSW
        // index) is created before the job, as it is for every job of a tenant but its first: building the index
        // reads the whole chunks table, all tenants' rows, which is no cost of this job's 360 chunks.
        String tenant = Tokens.newTenant("bench-ingest");
        long collectionStart = System.nanoTime();
        documents.ensureCollection(tenant, embedder.model(), embedder.dimension());
        long collectionMillis = (System.nanoTime() - collectionStart) / 1_000_000;
        String token = Tokens.staffOf(tenant);
        List<Map<String, String>> files = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            files.add(Map.of("filename", "doc-" + i + ".txt", "content", texts.get(i)));
        }
        byte[] body = json.writeValueAsBytes(Map.of("source", "file_upload", "files", files));

        jdk.jfr.Recording compilations = compilationsRecording();
        ProcCpu proc = procCpu();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        String jobId = json.readTree(exchange("POST", "/api/v1/jobs", token, body, 202)).path("job_id").asText();
        JsonNode job = awaitFinished(token, jobId);
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuPerChunk = (processCpuNanos() - cpu) / 1e6 / expectedChunks;
        ProcCpu.Usage usage = proc.stop();
        reportCompilations(compilations);

        assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
        assertThat(job.at("/progress/chunks_total").asInt()).isEqualTo(expectedChunks);
        OffsetDateTime startedAt = time(job, "/started_at");
        OffsetDateTime completedAt = time(job, "/completed_at");
        Duration running = Duration.between(startedAt, completedAt);
        line("%s: %.2f s running (%.2f s from POST to COMPLETED seen by polling), this JVM's CPU %.1f ms a chunk", label,
                running.toMillis() / 1e3, wall, cpuPerChunk);
        long firstBatch = Duration.between(startedAt, time(job, "/stages/embed/started_at")).toMillis();
        long tail = Duration.between(time(job, "/stages/embed/ended_at"), completedAt).toMillis();
        line("  CPU a chunk (the whole time from POST to COMPLETED seen): %s", perChunk(usage, expectedChunks));
        line("  the tenant's collection created beforehand in %d ms; created_at to started_at (dispatch through Kafka,"
                + " claim) %d ms, not in the job's time; started_at to the first model batch %d ms; last model batch to"
                + " completed_at %d ms (store ended %d ms before completed_at)", collectionMillis,
                Duration.between(time(job, "/created_at"), startedAt).toMillis(), firstBatch, tail,
                Duration.between(time(job, "/stages/store/ended_at"), completedAt).toMillis());
        if (!label.startsWith("warm-up")) {
            jobCpuPerChunk.add(cpuPerChunk);
            jobUsage.add(usage);
            jobStarts.add(firstBatch);
            jobTails.add(tail);
        }
        // Stages overlap (documents stream through them), so their busy times add up to more than the job's time.
        long embedMillis = job.at("/stages/embed/busy_ms").asLong();
        line("  stages busy: fetch %d ms, clean %d ms, chunk %d ms, embed %d ms (%.1f chunks/s while embedding),"
                + " store %d ms", job.at("/stages/fetch/busy_ms").asLong(), job.at("/stages/clean/busy_ms").asLong(),
                job.at("/stages/chunk/busy_ms").asLong(), embedMillis, expectedChunks / (embedMillis / 1e3),
                job.at("/stages/store/busy_ms").asLong());
        return expectedChunks / (running.toMillis() / 1e3);
    }

    private static OffsetDateTime time(JsonNode job, String pointer) {
        return OffsetDateTime.parse(job.at(pointer).asText());
    }

    /**
     * Polls once a second: the job's time comes from its own started_at and completed_at. The client is a plain
     * HttpURLConnection with Jackson on the calling thread: REST Assured (Groovy underneath) took ~0.5 ms of CPU a
     * chunk while the job ran, plus the JIT compiling its Groovy paths anew during every measured job, all of it on
     * the two cores the model needs (a test artefact, not pipeline overhead).
     */
    private JsonNode awaitFinished(String token, String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonNode job = json.readTree(exchange("GET", "/api/v1/jobs/" + jobId, token, null, 200));
        while (!List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.path("status").asText())) {
            assertThat(System.nanoTime()).as("job %s still %s", jobId, job.path("status").asText()).isLessThan(deadline);
            Thread.sleep(1000);
            job = json.readTree(exchange("GET", "/api/v1/jobs/" + jobId, token, null, 200));
        }
        return job;
    }

    /** One request, sent and read on the calling thread; the connection goes back to the keep-alive cache. */
    private byte[] exchange(String method, String path, String token, byte[] body, int expectedStatus) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            byte[] response = in == null ? new byte[0] : in.readAllBytes();
            assertThat(status).as(new String(response, StandardCharsets.UTF_8)).isEqualTo(expectedStatus);
            return response;
        }
    }

    private void line(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("BENCHMARK " + line);
        report.add(line);
    }
}
