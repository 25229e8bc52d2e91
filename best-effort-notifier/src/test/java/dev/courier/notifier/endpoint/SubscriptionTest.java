package dev.courier.notifier.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Subscriptions against an independent model: a pattern is read as a regular expression ({@code *} all, {@code p.*}
 * the types that start with {@code p.} and go on, anything else itself), over a small alphabet so that near misses
 * (a prefix without its dot, the prefix alone, a longer prefix) come up often.
 */
class SubscriptionTest {

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.strings().withChars("ab.:").ofMinLength(1).ofMaxLength(7);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.oneOf(types(), types().map(t -> t + ".*"), Arbitraries.just("*"));
    }

    @Provide
    Arbitrary<String> channels() {
        return Arbitraries.of("eu", "us", "uk", "cn");
    }

    private static Pattern model(String pattern) {
        if (pattern.equals("*")) {
            return Pattern.compile(".*", Pattern.DOTALL);
        }
        if (pattern.endsWith(".*")) {
            return Pattern.compile(Pattern.quote(pattern.substring(0, pattern.length() - 1)) + ".+", Pattern.DOTALL);
        }
        return Pattern.compile(Pattern.quote(pattern));
    }

    @Property(tries = 2000)
    void aTypeMatchesWhenAnyPatternDescribesItOrThereIsNone(
            @ForAll @Size(max = 4) List<@From("patterns") String> patterns, @ForAll("types") String type) {
        boolean expected = patterns.isEmpty()
                || patterns.stream().anyMatch(p -> model(p).matcher(type).matches());

        assertThat(new Subscription(patterns, List.of()).matches(type, List.of()))
                .isEqualTo(expected);
    }

    @Property(tries = 1000)
    void channelsNarrowOnlyWhenTheEndpointNamesSome(
            @ForAll @Size(max = 3) List<@From("channels") String> endpointChannels,
            @ForAll @Size(max = 3) List<@From("channels") String> messageChannels) {
        boolean expected =
                endpointChannels.isEmpty() || messageChannels.stream().anyMatch(endpointChannels::contains);

        assertThat(new Subscription(List.of(), endpointChannels).matches("payment.succeeded", messageChannels))
                .isEqualTo(expected);
    }

    /** Whatever text a caller sends, an accepted pattern is one of the three forms, in the event type alphabet. */
    @Property(tries = 3000)
    void onlyTheThreeFormsOfPatternAreAccepted(@ForAll String anything) {
        for (String candidate : List.of(anything, anything + ".*", "*" + anything, anything.replace('x', '*'))) {
            List<String> errors = new ArrayList<>();
            Subscription.validate(List.of(candidate), null, errors);

            boolean wellFormed = candidate.equals("*")
                    || candidate.matches("[A-Za-z0-9._:/-]{1,255}")
                    || candidate.matches("[A-Za-z0-9._:/-]{1,253}\\.\\*");
            assertThat(errors.isEmpty()).as("'%s' accepted", candidate).isEqualTo(wellFormed);
        }
    }

    @Example
    void aWildcardNeedsItsDotAndSomethingAfterIt() {
        Subscription payments = new Subscription(List.of("payment.*"), List.of());

        assertThat(payments.matches("payment.succeeded", List.of())).isTrue();
        assertThat(payments.matches("payment.refund.created", List.of())).isTrue();
        assertThat(payments.matches("payment.", List.of())).isFalse();
        assertThat(payments.matches("payment", List.of())).isFalse();
        assertThat(payments.matches("payments.succeeded", List.of())).isFalse();
    }
}
