package dev.ragline.ingest.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.ragline.ingest.support.LongText;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The chunker's word-piece counts are the model tokenizer's own, whatever the text. A Quarkus test only so
 * that the tokenizer's native library loads in the same class loader as in the other tests of the run.
 */
@QuarkusTest
class WordPiecesTest {

    private static final HuggingFaceTokenCountEstimator HUGGING_FACE = new HuggingFaceTokenCountEstimator();

    private final WordPieces wordPieces = WordPieces.of(HUGGING_FACE::estimateTokenCountInText);

    @Test
    void english_prose_counts_as_the_model_tokenizer_counts_it() {
        String text = LongText.paragraphs(30) + "Refunds (over $1,200.50!) need the CFO's sign-off; see "
                + "https://example.com/policy?id=42#refunds, or e-mail ops@example.com before 9:30am.\n\n"
                + "Unbelievably, the antidisestablishmentarianism of the supercalifragilisticexpialidocious "
                + "thermostat model XR-7731b/zq confused everyone.";

        assertSameCounts(sentencesOf(text));
    }

    @Test
    void any_ascii_including_control_characters_brackets_and_very_long_words_counts_the_same() {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(60);
            for (int c = 0; c < length; c++) {
                int pick = random.nextInt(20);
                text.append(pick == 0 ? (char) random.nextInt(0x20) // control characters, tab, newline
                        : pick == 1 ? (char) 0x7f
                                : pick < 5 ? ' ' : (char) (0x21 + random.nextInt(0x5e)));
            }
            texts.add(text.toString());
        }
        texts.add("x".repeat(100));
        texts.add("x".repeat(101));
        texts.add("ab".repeat(60) + " tail");
        texts.add("the [CLS] and [SEP] markers, [UNK] and [MASK] and [PAD] and [cls]");
        texts.add("form\ffeed and vertical\u000Btab join words");

        assertSameCounts(texts);
    }

    @Test
    void text_in_other_scripts_and_with_accents_counts_the_same() {
        assertSameCounts(List.of(
                "Crème brûlée à la française, naïve café — “quoted” text… and a non\u00a0breaking space.",
                "Straße İstanbul ΣΊΣΥΦΟΣ Ωμέγα σοφός",
                "東京都の天気は晴れです。北京欢迎你！",
                "Emoji 🎉 and symbols ™ © ½ ≥ ∑ and the mixed word refund€42 and naïve-ASCII pairs",
                "Здравствуйте, это тестовый текст на русском языке."));
    }

    private void assertSameCounts(List<String> texts) {
        for (String text : texts) {
            assertThat(wordPieces.applyAsInt(text)).as("word pieces of %s", text.codePoints()
                    .mapToObj(c -> c < 0x20 ? String.format("\\u%04x", c) : Character.toString(c))
                    .reduce("", String::concat))
                    .isEqualTo(HUGGING_FACE.estimateTokenCountInText(text));
        }
    }

    private static List<String> sentencesOf(String text) {
        List<String> pieces = new ArrayList<>(List.of(text));
        for (String sentence : text.split("(?<=[.!?])\\s+")) {
            pieces.add(sentence);
        }
        return pieces;
    }
}
