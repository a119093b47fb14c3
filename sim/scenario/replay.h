/*
 * replay.h - running a validated scenario against a machine, one step at
 * a time, checking its expectations and the machine's invariants.
 * Replaying is deterministic, so "go back to step N" is "take a copy of the
 * machine from before step N and run the steps from there to N".
 */
#ifndef MMSIM_REPLAY_H
#define MMSIM_REPLAY_H

#include <stdio.h>

#include "scenario.h"

#define REPLAY_MAX_FAILURES 16
#define REPLAY_MAX_CHECKS 96

/* One thing an expect step checked, with what it expected and what it
 * found, both as text ("PTE of 0x00010000 in a", "form", "valid",
 * "transition (0x00004886)"). */
struct expect_check {
    char subject[48];       /* what the check is about; "" for the last access and the lists */
    char what[32];          /* the field checked ("zeroed", "form", "contains") */
    char expected[48];
    char actual[64];
    bool held;
    bool listing;           /* held, it reads as what and expected only ("contains 0x00010000") */
};

/* When the invariant checker runs (mmsim run/check/step --check=MODE). */
enum replay_check {
    REPLAY_CHECK_TOUCHED,   /* after every step, what the step touched (mm_check_touched); the
                               whole machine every replay_full_every() steps and after the last
                               step. The default. */
    REPLAY_CHECK_FULL,      /* the whole machine after every step (mm_check) */
    REPLAY_CHECK_END,       /* the whole machine after the last step only */
    REPLAY_CHECK_COUNT
};
/* The whole check in touched mode runs at least every this many steps; on
 * machines of more than REPLAY_FULL_CHECK_STEPS * REPLAY_FULL_CHECK_FRAMES
 * frames, every frames / REPLAY_FULL_CHECK_FRAMES steps, so that its share
 * of a step's cost stays bounded: the whole check costs about 13 ns a frame
 * on the bench's host, so its share is about 0.2 us a step on any large
 * machine, less than the touched check of a step itself. */
#define REPLAY_FULL_CHECK_STEPS 1000u
#define REPLAY_FULL_CHECK_FRAMES 16u

/* Seeking (replay_seek): a copy of the machine is kept every
 * `snapshot_every` steps; the copies together may hold at most
 * REPLAY_SNAPSHOT_BUDGET bytes of host memory, and when they would hold
 * more, every other one is dropped and the interval doubles. */
#define REPLAY_SNAPSHOT_EVERY  256u
#define REPLAY_SNAPSHOT_BUDGET ((size_t)256 << 20)

struct replay_snapshot;

struct replay {
    const struct scenario *sc;
    struct mm_machine *m;
    uint32_t *pid;                  /* per process name: its pid while running */
    uint32_t *file;                 /* per scenario file: the engine's file number */
    uint32_t *section;              /* per section (scenario.sections): the engine's handle,
                                       MM_MAX_SECTIONS until made (or when creating it failed) */
    uint32_t next;                  /* the next step to run (0-based) */
    uint32_t started;               /* processes of sc->initial started by replay_start */
    mm_status last_status;          /* of the last step that returns one */
    bool has_status;
    uint32_t last_value;            /* of the last read */
    bool has_value;
    struct mm_fault_info last_fault;/* of the last access */
    uint32_t failed_steps;          /* expect steps with a failure */
    bool broken;                    /* an invariant failed: stop */
    char broken_msg[512];
    /* checking */
    enum replay_check check;
    struct mm_checker *checker;     /* touched mode */
    uint32_t full_every, since_full;
    uint32_t checked;               /* steps checked already: going back and forward again
                                       runs them without checks (the engine is deterministic) */
    mm_event_fn fn;                 /* the caller's sink */
    void *ctx;
    bool silent;                    /* seeking: the caller's sink is not told */
    /* seeking */
    struct replay_snapshot *snap;   /* in step order; snap[0] is before step 1 */
    uint32_t nsnap, snap_cap, snapshot_every;
    size_t snap_bytes;
};

/* The outcome of one step. Entries of check[] and failure[] past the
 * counts hold nothing meaningful (the first of each is empty). */
struct replay_result {
    const struct scn_step *step;
    uint32_t index;                 /* 0-based */
    mm_status status;               /* for operations; STATUS_SUCCESS otherwise */
    bool returns_status;
    /* an expect step's checks, in the order of the expectation kinds */
    uint32_t nchecks;                       /* checks made; the first REPLAY_MAX_CHECKS are kept */
    struct expect_check check[REPLAY_MAX_CHECKS];
    uint32_t nfailures;                     /* checks that failed; the first REPLAY_MAX_FAILURES ... */
    char failure[REPLAY_MAX_FAILURES][320]; /* ... as "subject what: expected X, actual Y" */
};

/* Build the machine and start the declared processes. Events go to fn
 * (NULL: nobody is told; with checking off as well, no event is built).
 * Checking starts in REPLAY_CHECK_TOUCHED mode. */
bool replay_start(struct replay *r, const struct scenario *sc, mm_event_fn fn, void *ctx,
                  char *err, size_t err_size);
/* Choose when the checker runs; before the first step. False if out of
 * host memory (the mode is then unchanged). */
bool replay_set_check(struct replay *r, enum replay_check mode);
/* Keep copies of the machine so that replay_seek can go back in O(K) steps;
 * before the first step. False if out of host memory. */
bool replay_enable_seeking(struct replay *r);
/* Run the next step; false when there is none left or the machine broke. */
bool replay_step(struct replay *r, struct replay_result *res);
/* Be at the state after `target` steps (0: before the first). Going back
 * copies the nearest kept copy at or before target and runs the steps after
 * it silently (no events to the sink, no checks: those steps were checked
 * when first run); going forward runs the steps silently, checked. Returns
 * false when out of host memory or the machine broke on the way. */
bool replay_seek(struct replay *r, uint32_t target);
void replay_end(struct replay *r);

/* "full", "touched", "end"; parse one of them (-1 if unknown). */
const char *replay_check_name(enum replay_check mode);
int replay_check_parse(const char *name);
/* How often the touched mode runs the whole check, in steps. */
uint32_t replay_full_every(const struct mm_machine *m);

/* The pid of a process name index, 0 when it is not running. */
uint32_t replay_pid(const struct replay *r, int process);

/* ---- the work budget ----
 * A replay's cost is bounded before it starts, from the file alone. Each
 * step is charged what it can cost at most, in units of about one frame
 * that the invariant checker visits (some 5 ns):
 *   - every step, for its op and the check after it, the "bound": the
 *     machine's frames and paging-file slots (at their maximum), 32 for
 *     each address range made so far (reserve, allocate, create_thread,
 *     map_view and each process), and 2 for each page reserved so far, at most
 *     1,024 pages per frame (the page-table entries a walk can visit); a
 *     small step (read, write, execute, note, trim, set_ws_limits)
 *     instead REPLAY_STEP_UNITS, REPLAY_RANGE_UNITS for each range (the
 *     touched check walks its process's VADs) and REPLAY_WS_UNITS for each
 *     working-set entry a search for a victim can pass, in every process
 *     (when no page is available a fault trims them all; aging and clock
 *     sweep the list): the private entries, at most each page committed
 *     so far (allocate, commit, create_thread) with its page tables and 4
 *     per process, at most the machine's frames and paging-file slots per
 *     process, and at most the frames and WS_COMPACT_SLACK + 1 free
 *     entries per process (the list is compacted before a search would
 *     start with more); and each page mapped in a view so far, at each
 *     address. A touch is not charged these for its pages (see
 *     docs/testing.md);
 *   - where the whole invariant check runs, instead: the bound and
 *     REPLAY_PROCESS_UNITS for each process started so far (its page
 *     directory's 1,024 entries and its working-set list), and a small
 *     step's own charge too; it runs after every step with --check=full,
 *     every replay_full_every() steps (from the frame count) and after the
 *     last with --check=touched, after the last only with --check=end;
 *   - tick: frames + 16 more for each tick (the system threads' work);
 *   - touch: one more for each page touched;
 *   - commit, decommit, protect, create_section, map_view, unmap_view and
 *     flush_view: REPLAY_SCAN_UNITS for each page of their range (its
 *     size, or the largest range made before the step when the op takes a
 *     whole one), whether the op succeeds or fails: the engine reads every
 *     page's state before it can answer (a commit past the commit limit
 *     included);
 *   - release: the same for the pages of its range that page tables can
 *     map (at most 1,024 per frame and paging-file slot) and one per 1,024
 *     others (a table that does not exist is skipped whole); its range is
 *     the one a step reserved at that address in that process, else the
 *     largest made before it (a released range still counts as reserved
 *     for the steps after it: a release can fail);
 *   - building the machine: its frames and paging-file slots.
 * A scenario is refused at the first step where the ticks so far exceed
 * max_ticks or the units so far exceed max_work. */
#define REPLAY_SCAN_UNITS 3u                   /* per page an op's range covers */
#define REPLAY_STEP_UNITS 200u                 /* a small step and its touched check (0.7 to 0.85 us) */
#define REPLAY_PROCESS_UNITS 3000u             /* a process in the whole check (about 14 us) */
#define REPLAY_WS_UNITS 5u                     /* a working-set entry a victim search passes, up to 5 times */
#define REPLAY_RANGE_UNITS 4u                  /* a VAD the touched check walks (about 17 ns) */
#define REPLAY_MAX_TICKS 1000000u             /* default of --max-ticks */
#define REPLAY_MAX_WORK  1000000000ull        /* default of --max-work: about 5 s */
#define REPLAY_BUDGET_LIMIT 1000000000000ull  /* the largest value either option takes */

struct replay_budget {
    uint64_t max_ticks, max_work;
    enum replay_check check;   /* the check mode the replay will run with */
};

/* Whether sc stays within budget b (NULL: the defaults) and its machine
 * can be built (replay_machine_builds). When it does not, false with *e
 * naming the first step beyond it (its line, column, path $.steps[N], and
 * which budget, with its value and option), or the process that cannot
 * start. */
bool replay_within_budget(const struct scenario *sc, const struct replay_budget *b, struct scn_error *e);

/* mmsim run, check, step, grade scenario and mmviz read a file this way:
 * scenario_load, then replay_within_budget with b (NULL: the defaults).
 * Returns the scenario, or NULL after writing every error to `err`, one
 * located line each (file:line:col: path: what), with file names escaped,
 * and "FILE: more errors follow; fix these first" when there were more. */
struct scenario *replay_load(const char *file, const struct replay_budget *b, FILE *err);

/* Whether sc's machine can be built and every process under "processes"
 * started in it, as replay_start does (it builds the machine and frees it
 * again). When not, false with *e at the process that cannot start (its
 * line, column and path $.processes[N]) or at $.machine, so that a file
 * `check` accepts never stops before its first step. */
bool replay_machine_builds(const struct scenario *sc, struct scn_error *e);

#endif
