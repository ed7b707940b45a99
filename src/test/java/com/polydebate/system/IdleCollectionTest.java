package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleCollectionTest {
    private static final Duration QUIET = Duration.ofSeconds(20);

    /** Collections the server's work causes ({@link #work}) and the full ones the idle collection asks for. */
    private static final class FakeHeap implements IdleCollection.Heap {
        long collections;
        int fullCollections;

        void work() {
            collections++;
        }

        @Override
        public long collections() {
            return collections;
        }

        @Override
        public void collect() {
            fullCollections++;
            collections++;
        }
    }

    private final FakeHeap heap = new FakeHeap();
    private final MutableClock clock = MutableClock.at("2026-12-06T05:00:00Z");

    @Test
    void collects_once_after_a_busy_period_when_no_collection_ran_for_the_quiet_time() {
        IdleCollection idle = new IdleCollection(heap, clock, QUIET, true);
        heap.work();
        idle.check();
        heap.work();
        clock.advance(Duration.ofSeconds(5));
        idle.check();

        clock.advance(Duration.ofSeconds(19));
        idle.check();
        assertThat(heap.fullCollections).isZero();

        clock.advance(Duration.ofSeconds(1));
        idle.check();
        assertThat(heap.fullCollections).isEqualTo(1);

        // Its own collection is not use: a server that stays quiet is collected once, not every quiet period.
        for (int i = 0; i < 10; i++) {
            clock.advance(QUIET);
            idle.check();
        }
        assertThat(heap.fullCollections).isEqualTo(1);
    }

    @Test
    void never_collects_while_the_heap_keeps_being_used() {
        IdleCollection idle = new IdleCollection(heap, clock, QUIET, true);
        for (int i = 0; i < 100; i++) {
            heap.work();
            clock.advance(Duration.ofSeconds(19));
            idle.check();
        }
        assertThat(heap.fullCollections).isZero();
    }

    @Test
    void the_next_busy_period_earns_the_next_collection() {
        IdleCollection idle = new IdleCollection(heap, clock, QUIET, true);
        heap.work();
        idle.check();
        clock.advance(QUIET);
        idle.check();
        assertThat(heap.fullCollections).isEqualTo(1);

        heap.work();
        clock.advance(Duration.ofSeconds(1));
        idle.check();
        clock.advance(Duration.ofSeconds(10));
        idle.check();
        assertThat(heap.fullCollections).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        idle.check();
        assertThat(heap.fullCollections).isEqualTo(2);
    }

    @Test
    void collections_before_it_was_created_count_as_use_so_start_up_garbage_is_collected_too() {
        heap.work();
        IdleCollection idle = new IdleCollection(heap, clock, QUIET, true);
        clock.advance(QUIET);
        idle.check();
        assertThat(heap.fullCollections).isEqualTo(1);
    }

    @Test
    void a_heap_never_collected_is_left_alone() {
        IdleCollection idle = new IdleCollection(heap, clock, QUIET, true);
        clock.advance(QUIET.multipliedBy(10));
        idle.check();
        assertThat(heap.fullCollections).isZero();
    }

    @Test
    void switched_off_it_starts_no_thread() {
        IdleCollection off = IdleCollection.of(0, clock);
        off.start();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("idle-gc"));
        off.close();

        IdleCollection on = IdleCollection.of(20, clock);
        on.start();
        try {
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("idle-gc"));
        } finally {
            on.close();
        }
    }
}
