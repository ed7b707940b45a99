package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The job's status reads against the pauses and resumes reconciled on this instance meanwhile. */
class DebateControlTest {

    @Test
    void a_status_read_that_began_before_a_pause_does_not_undo_it() {
        DebateControl control = new DebateControl(false);
        long beforeRead = control.reconciliations();

        control.setPaused(true);
        control.observe(beforeRead, false, false);

        assertThat(control.paused()).isTrue();
    }

    @Test
    void a_status_read_that_began_before_a_resume_does_not_pause_again() {
        DebateControl control = new DebateControl(true);
        long beforeRead = control.reconciliations();

        control.setPaused(false);
        control.observe(beforeRead, true, false);

        assertThat(control.paused()).isFalse();
    }

    @Test
    void a_read_with_nothing_reconciled_meanwhile_brings_a_pause_sent_to_another_instance() {
        DebateControl control = new DebateControl(false);

        control.observe(control.reconciliations(), true, false);

        assertThat(control.paused()).isTrue();
    }

    @Test
    void a_stop_read_from_the_database_counts_even_when_a_pause_was_reconciled_meanwhile() {
        DebateControl control = new DebateControl(false);
        long beforeRead = control.reconciliations();

        control.setPaused(true);
        control.observe(beforeRead, false, true);

        assertThat(control.stopRequested()).isTrue();
        assertThat(control.paused()).isTrue();
    }
}
