package dev.ragline.ingest.source;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.ragline.ingest.common.ProblemException;

/** The registry of sources by name. */
@ApplicationScoped
public class Sources {

    private final Map<String, Source> byName = new TreeMap<>();

    Sources(Instance<Source> sources) {
        sources.forEach(source -> byName.put(source.name(), source));
    }

    public Source named(String name) {
        Source source = name == null ? null : byName.get(name);
        if (source == null) {
            throw new ProblemException(400, "unsupported-source", "Unsupported source",
                    "source must be one of " + byName.keySet());
        }
        return source;
    }
}
