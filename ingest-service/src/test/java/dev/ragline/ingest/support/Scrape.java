package dev.ragline.ingest.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /q/metrics}, read the way Prometheus reads it: a sample is a name, labels and a value. */
public record Scrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");

    public static Scrape now() {
        return new Scrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The sum of the samples of {@code name} whose labels include all of {@code labels} (0 when none). */
    public double value(String name, Map<String, String> labels) {
        double sum = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            String found = m.group(3) == null ? "" : m.group(3);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> found.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    public double value(String name) {
        return value(name, Map.of());
    }

    public boolean has(String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(text).find();
    }

    /** Every label value {@code label} takes among the samples of the metric family {@code prefix}. */
    public java.util.Set<String> labelValues(String prefix, String label) {
        java.util.Set<String> values = new java.util.TreeSet<>();
        Matcher m = SAMPLE.matcher(text);
        Pattern one = Pattern.compile(Pattern.quote(label) + "=\"([^\"]*)\"");
        while (m.find()) {
            if (m.group(1).startsWith(prefix) && m.group(3) != null) {
                Matcher v = one.matcher(m.group(3));
                if (v.find()) {
                    values.add(v.group(1));
                }
            }
        }
        return values;
    }
}
