package dev.courier.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.relay.Lease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link FetchFloors} against a model of PostgreSQL's outbox: transactions take the table's lock, draw seqs from one
 * sequence, commit or roll back in any order; fetches see committed rows above each partition's floor, and the lock
 * holders are looked at some steps after the fetch. Whatever the interleaving, every committed row is fetched.
 */
class FetchFloorsTest {

    private static final int PARTITIONS = 3;
    private static final int LIMIT = 2;

    @Property(tries = 2_000)
    void everyCommittedRowIsFetchedWhateverTheInterleaving(@ForAll("steps") List<Integer> steps) {
        Model model = new Model();
        model.tick /= 2; // every other fetch is too soon to look at the lock holders
        for (int step : steps) {
            model.step(step);
        }
        model.finishAll();

        assertThat(model.fetched).containsExactlyInAnyOrderElementsOf(model.committed);
    }

    @Test
    void aFloorRisesBelowTheLowestRowOfAFetchOnceNoWriterHoldsTheTable() {
        Model model = new Model();
        model.begin();
        model.draw(0, 0);
        model.draw(0, 0);
        model.end(0, true);
        model.fetchAndLook(List.of());
        model.begin();
        model.draw(0, 0); // seq 3
        model.end(0, true);

        model.fetchAndLook(List.of()); // finds 3: rows up to 2 are gone once no writer of that time holds the table
        model.fetchAndLook(List.of());

        assertThat(model.states.get(0).floor).isEqualTo(2);
        assertThat(model.fetched).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFloorStaysBelowARowWhoseTransactionDrewItsSeqFirstAndIsStillOpen() {
        Model model = new Model();
        model.begin();
        model.draw(0, 0); // seq 1, committed last
        model.begin();
        model.draw(1, 0); // seq 2
        model.end(1, true);
        model.begin();
        model.draw(1, 0); // seq 3
        model.end(1, true);
        for (int i = 0; i < 5; i++) {
            model.fetchAndLook(List.of());
        }
        assertThat(model.states.get(0).floor).isZero();

        model.end(0, true);
        model.fetchAndLook(List.of());

        assertThat(model.fetched).containsExactly(2L, 3L, 1L);
    }

    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.integers().between(0, 99).list().ofMaxSize(80);
    }

    /** The outbox as PostgreSQL shows it to the relay, with one relay fetching and deleting what it publishes. */
    private static final class Model {
        final Map<Integer, PartitionState> states = new HashMap<>();
        /** Open transactions: their drawn rows (seq → partition). */
        final List<Map<Long, Integer>> open = new ArrayList<>();
        /** Virtual ids of the open transactions, in the order of {@link #open}. */
        final List<String> openIds = new ArrayList<>();
        /** Committed rows not deleted yet: seq → partition. */
        final TreeMap<Long, Integer> table = new TreeMap<>();

        final Set<Long> committed = new HashSet<>();
        final Set<Long> fetched = new LinkedHashSet<>();
        long sequence;
        int transactions;

        /**
         * A clock that moves on by {@link #tick} at every look at it: by default as long as the shortest interval
         * between two looks at the lock holders, so that every fetch may look.
         */
        long clock;

        long tick = FetchFloors.LOOK_INTERVAL_MICROS * 1_000;

        final FetchFloors floors = new FetchFloors(() -> true, () -> new HashSet<>(openIds), () -> clock += tick);

        Model() {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                states.put(partition, new PartitionState(new Lease(partition, 1), Long.MAX_VALUE));
            }
        }

        void step(int step) {
            if (step < 15) {
                begin();
            } else if (step < 45) {
                if (!open.isEmpty()) {
                    draw(step % open.size(), step % PARTITIONS);
                }
            } else if (step < 65) {
                if (!open.isEmpty()) {
                    end(step % open.size(), step % 4 != 0);
                }
            } else {
                // A fetch of one or all partitions; the lock holders are looked at after up to two more steps.
                List<Integer> later = new ArrayList<>();
                int delay = step % 3;
                for (int i = 0; i < delay; i++) {
                    later.add((step * 7 + i * 13) % 65);
                }
                fetchAndLook(later, step % 2 == 0 ? List.of(step % PARTITIONS) : List.of(0, 1, 2));
            }
        }

        void begin() {
            open.add(new TreeMap<>());
            openIds.add("3/" + ++transactions);
        }

        void draw(int transaction, int partition) {
            open.get(transaction).put(++sequence, partition);
        }

        void end(int transaction, boolean commit) {
            Map<Long, Integer> rows = open.remove(transaction);
            openIds.remove(transaction);
            if (commit) {
                table.putAll(rows);
                committed.addAll(rows.keySet());
            }
        }

        void fetchAndLook(List<Integer> stepsBeforeTheLook) {
            fetchAndLook(stepsBeforeTheLook, List.of(0, 1, 2));
        }

        void fetchAndLook(List<Integer> stepsBeforeTheLook, List<Integer> partitions) {
            Map<Integer, Long> lowest = new HashMap<>();
            for (int partition : partitions) {
                long floor = states.get(partition).floor;
                List<Long> rows = table.tailMap(floor, false).entrySet().stream()
                        .filter(row -> row.getValue() == partition)
                        .map(Map.Entry::getKey)
                        .limit(LIMIT)
                        .collect(Collectors.toList());
                if (!rows.isEmpty()) {
                    lowest.put(partition, rows.getFirst());
                }
                // Published and deleted at once: a later fetch does not see them.
                rows.forEach(seq -> {
                    fetched.add(seq);
                    table.remove(seq);
                });
            }
            // Transactions go on between the fetch's snapshot and the look at the lock holders.
            stepsBeforeTheLook.forEach(this::stepExceptFetch);
            floors.fetched(partitions.stream().map(states::get).toList(), lowest);
        }

        private void stepExceptFetch(int step) {
            if (step < 65) {
                step(step);
            }
        }

        void finishAll() {
            while (!open.isEmpty()) {
                end(0, true);
            }
            for (int i = 0; i < 3 + (int) (sequence / LIMIT); i++) {
                fetchAndLook(List.of());
            }
        }
    }
}
