package dev.ragline.ingest.benchmark;

import java.util.Random;

/** Product-support prose with a large vocabulary, so chunks and full-text queries are not all alike. */
final class BenchText {

    private static final String[] NOUNS = { "kettle", "teapot", "warranty", "refund", "parcel", "invoice", "courier",
            "voucher", "catalogue", "warehouse", "thermostat", "filter", "handle", "lid", "spout", "receipt", "customer",
            "subscription", "discount", "delivery", "pallet", "supplier", "audit", "ledger", "coupon", "basket",
            "checkout", "inventory", "shipment", "return" };
    private static final String[] VERBS = { "inspects", "replaces", "approves", "delays", "tracks", "cancels",
            "confirms", "repairs", "prices", "packs", "weighs", "labels", "reviews", "stocks", "ships" };
    private static final String[] ADJECTIVES = { "damaged", "urgent", "copper", "porcelain", "seasonal", "bulk",
            "discounted", "fragile", "overdue", "premium", "regional", "weekly", "refurbished", "missing" };

    static String sentence(Random random) {
        return "The " + pick(random, ADJECTIVES) + " " + pick(random, NOUNS) + " team " + pick(random, VERBS) + " the "
                + pick(random, ADJECTIVES) + " " + pick(random, NOUNS) + " before the " + pick(random, NOUNS)
                + " is closed, and each " + pick(random, NOUNS) + " " + pick(random, VERBS) + " a "
                + pick(random, ADJECTIVES) + " " + pick(random, NOUNS) + ".";
    }

    static String document(int seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("Support note ").append(seed).append("\n\n");
        for (int paragraph = 0; paragraph < 12; paragraph++) {
            for (int s = 0; s < 5; s++) {
                text.append(sentence(random)).append(' ');
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private BenchText() {
    }
}
