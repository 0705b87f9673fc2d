package dev.ragline.ingest.source.database;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every log line of the running service (all loggers, all levels), to prove a secret never reaches one. */
public final class SecretsCapture extends Handler implements AutoCloseable {

    private final StringBuffer lines = new StringBuffer();
    private final SimpleFormatter formatter = new SimpleFormatter();

    public static SecretsCapture start() {
        SecretsCapture capture = new SecretsCapture();
        capture.setLevel(java.util.logging.Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public String text() {
        return lines.toString();
    }

    @Override
    public void publish(LogRecord record) {
        lines.append(record.getLoggerName()).append(' ').append(formatter.formatMessage(record)).append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            lines.append(trace).append('\n');
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
