package dev.ragline.ingest.source.web;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

/** robots.txt of each host a job visits, fetched once per job and parsed by crawler-commons. */
public class RobotsRules {

    private final PageFetcher fetcher;
    private final String productToken;
    private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    private final Map<String, BaseRobotRules> byOrigin = new HashMap<>();

    public RobotsRules(PageFetcher fetcher, String userAgent) {
        this.fetcher = fetcher;
        // robots.txt groups name the product token: "RaglineRake" of "RaglineRake/0.1 (...)"
        this.productToken = userAgent.split("[/ ]", 2)[0].toLowerCase(java.util.Locale.ROOT);
    }

    public boolean allowed(URI url) throws InterruptedException {
        String origin = url.getScheme() + "://" + url.getRawAuthority();
        BaseRobotRules rules = byOrigin.get(origin);
        if (rules == null) {
            rules = load(origin);
            byOrigin.put(origin, rules);
        }
        return rules.isAllowed(url.toString());
    }

    private BaseRobotRules load(String origin) throws InterruptedException {
        URI robots = URI.create(origin + "/robots.txt");
        try {
            PageFetcher.Page page = fetcher.get(robots);
            if (page.ok()) {
                return parser.parseContent(robots.toString(), page.body(), "text/plain", List.of(productToken));
            }
            // No robots.txt (4xx) allows everything; a failing one (5xx) means "come back later".
            return new SimpleRobotRules(page.status() >= 500
                    ? SimpleRobotRules.RobotRulesMode.ALLOW_NONE
                    : SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
        } catch (java.io.IOException | SsrfGuard.RefusedUrl e) {
            return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
        }
    }
}
