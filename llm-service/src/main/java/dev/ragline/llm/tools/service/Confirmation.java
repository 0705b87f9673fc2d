package dev.ragline.llm.tools.service;

import java.util.Locale;
import java.util.regex.Pattern;

/** Whether a customer's message explicitly confirms the order summarised to them. */
public final class Confirmation {

    private static final Pattern AFFIRMATIVE = Pattern.compile(
            "\\b(yes|yep|yeah|confirm(ed|ing)?|place (the|my) order|go ahead|order it|sure|ok(ay)?|do it"
                    + "|sounds good|please proceed|proceed)\\b");
    private static final Pattern NEGATIVE = Pattern.compile(
            "\\b(no|nope|not|don'?t|do not|cancel|wait|stop|change|instead|remove)\\b");

    public static boolean isExplicit(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return AFFIRMATIVE.matcher(text).find() && !NEGATIVE.matcher(text).find();
    }

    private Confirmation() {
    }
}
