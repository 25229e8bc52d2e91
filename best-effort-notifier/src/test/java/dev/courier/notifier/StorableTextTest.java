package dev.courier.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void refusesNulsAndUnpairedSurrogatesAndAcceptsEverythingElse() {
        assertThat(StorableText.isStorable(null)).isTrue();
        assertThat(StorableText.isStorable("")).isTrue();
        assertThat(StorableText.isStorable("caf\u00e9 \ud83d\ude00 \u4e2d")).isTrue();
        assertThat(StorableText.isStorable("a\u0000b")).isFalse();
        assertThat(StorableText.isStorable("\ud800")).isFalse();
        assertThat(StorableText.isStorable("x\udc00")).isFalse();
        assertThat(StorableText.isStorable("\ud800\ud800\udc00")).isFalse();
    }

    @Test
    void sanitizingReplacesWhatCannotBeStoredAndNeverSplitsAPair() {
        assertThat(StorableText.sanitize(null, 10)).isNull();
        assertThat(StorableText.sanitize("ok\u0000\ud800x", 10)).isEqualTo("ok\uFFFD\uFFFDx");
        assertThat(StorableText.sanitize("ab\ud83d\ude00", 3)).isEqualTo("ab");
        assertThat(StorableText.sanitize("ab\ud83d\ude00", 4)).isEqualTo("ab\ud83d\ude00");
        assertThat(StorableText.sanitize("x".repeat(5000), 1024)).hasSize(1024);
        String sanitized = StorableText.sanitize("\udc00\ud800a\u0000", 100);
        assertThat(StorableText.isStorable(sanitized)).isTrue();
    }
}
