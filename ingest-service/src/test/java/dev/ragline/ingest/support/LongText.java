package dev.ragline.ingest.support;

import java.util.Random;

/** Varied English prose of any length, for jobs that must run long enough to be observed. */
public final class LongText {

    private static final String[] SUBJECTS = { "The warehouse team", "Our support desk", "Each regional store",
            "The returns process", "A customer", "The night shift", "The finance office", "Every courier" };
    private static final String[] VERBS = { "checks", "records", "ships", "reviews", "schedules", "refunds",
            "labels", "counts" };
    private static final String[] OBJECTS = { "the damaged parcels", "every incoming order", "the weekly stock report",
            "late deliveries", "gift card balances", "the spring catalogue", "customs declarations",
            "the loyalty points" };
    private static final String[] ENDINGS = { "before noon.", "within two business days.", "at the end of the month.",
            "whenever a complaint arrives.", "after the audit.", "during the holiday rush.", "on Mondays.",
            "as soon as stock arrives." };

    public static String paragraphs(int count) {
        Random random = new Random(count);
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < count; p++) {
            text.append("Section ").append(p + 1).append(". ");
            for (int s = 0; s < 6; s++) {
                text.append(pick(random, SUBJECTS)).append(' ').append(pick(random, VERBS)).append(' ')
                        .append(pick(random, OBJECTS)).append(' ').append(pick(random, ENDINGS)).append(' ');
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private LongText() {
    }
}
