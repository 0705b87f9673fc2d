package dev.ragline.worker;

import dev.ragline.contracts.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The topics the worker reads and writes; tests point them at their own topics. */
@ConfigMapping(prefix = "ragline.topics")
public interface WorkerTopics {

    @WithDefault(Topics.ORDERS)
    String orders();

    @WithDefault(Topics.PRODUCTS)
    String products();

    @WithDefault(Topics.NOTIFICATIONS)
    String notifications();
}
