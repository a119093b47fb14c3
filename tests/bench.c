/*
 * bench.c - speed and memory figures of the mmsim engine on this machine
 * (make bench). Each figure is printed beside its target; the counters the
 * engine keeps are read back to show that what was timed is what the line
 * claims (TLB hits, misses, each kind of fault), and mm_check() is run on
 * every machine once its figure is taken (never inside a timed section).
 *
 * The timings are the process's CPU time (now()); the engine itself never
 * looks at any clock. The exit status is 0 unless the engine returns a status
 * this program did not expect, or cannot build a machine (then the reason
 * is printed and the status is 1). Failed checks are printed, not fatal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "mm.h"
#include "replay.h"
#include "scenario.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define MIN_SECONDS 0.5          /* each rate is measured for at least this long */
#define MIB (1024.0 * 1024.0)

/* ---- Host helpers ---------------------------------------------------------- */

/* The process's CPU time (user + system), not the wall clock: on a shared
 * machine the wall clock also counts other programs' turns on the CPU.
 * The bench runs one thread, so on an idle machine the two agree. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Resident set size in bytes, from /proc/self/statm (0 if unreadable). */
static uint64_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    unsigned long long size = 0, resident = 0;
    int n = fscanf(f, "%llu %llu", &size, &resident);
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    if (n != 2 || page <= 0)
        return 0;
    return (uint64_t)resident * (uint64_t)page;
}

/* The value of the first "key<spaces>: value" line of a /proc file. */
static bool proc_field(const char *path, const char *key, char *out, size_t out_size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[512];
    size_t klen = strlen(key);
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0)
            continue;
        const char *colon = strchr(line + klen, ':');
        if (!colon)
            continue;
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        snprintf(out, out_size, "%s", v);
        out[strcspn(out, "\n")] = '\0';
        found = true;
    }
    fclose(f);
    return found;
}

static unsigned cpu_count(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return 0;
    char line[512];
    unsigned n = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "processor", 9) == 0)
            n++;
    fclose(f);
    return n;
}

static void print_host(void)
{
    char model[256] = "unknown CPU", mem[64] = "", ram[32] = "? GiB";
    proc_field("/proc/cpuinfo", "model name", model, sizeof model);
    if (proc_field("/proc/meminfo", "MemTotal", mem, sizeof mem))
        snprintf(ram, sizeof ram, "%.1f GiB", strtod(mem, NULL) / MIB);   /* kB -> GiB */
    struct utsname u;
    bool have_uname = uname(&u) == 0;
    unsigned cpus = cpu_count();
    printf("mmsim %s benchmark\n", MMSIM_VERSION);
    printf("host: %s, %u logical CPU%s, %s RAM, %s %s %s\n", model, cpus, cpus == 1 ? "" : "s",
           ram, have_uname ? u.sysname : "?", have_uname ? u.release : "?",
           have_uname ? u.machine : "?");
#if defined(__clang__)
    printf("compiler: clang %s\n", __clang_version__);
#elif defined(__GNUC__)
    printf("compiler: gcc %s\n", __VERSION__);
#endif
    printf("\n");
}

/* ---- Formatting ------------------------------------------------------------ */

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t size, uint64_t v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static const char *rate(char *buf, size_t size, double per_second)
{
    if (per_second >= 1e6)
        snprintf(buf, size, "%.2f M/s", per_second / 1e6);
    else
        snprintf(buf, size, "%.1f k/s", per_second / 1e3);
    return buf;
}

static void mib_or_na(char *buf, size_t size, bool known, double mib)
{
    if (known)
        snprintf(buf, size, "%.1f MiB", mib);
    else
        snprintf(buf, size, "n/a");
}

static const char *met(bool ok) { return ok ? "yes" : "NO"; }

static unsigned problems;   /* failed checks (counters, data, invariants) */

static void header(void)
{
    printf("%-3s %-42s %12s  %-10s %-3s  %s\n", "#", "figure", "measured", "target", "met",
           "evidence (engine counters, checks)");
    printf("%-3s %-42s %12s  %-10s %-3s  %s\n", "---",
           "------------------------------------------", "------------", "----------", "---",
           "----------------------------------");
}

static void row(const char *num, const char *figure, const char *measured, const char *target,
                const char *ok, const char *evidence)
{
    printf("%-3s %-42s %12s  %-10s %-3s  %s\n", num, figure, measured, target, ok, evidence);
    fflush(stdout);
}

/* A line of evidence under a row (counters, checks). */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    va_list ap;
    printf("%-3s %-42s %12s  %-10s %-3s  ", "", "", "", "", "");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* ---- Engine helpers -------------------------------------------------------- */

static void die_status(const char *what, mm_status s)
{
    const char *name = mm_status_name(s);
    printf("\nbench: %s returned %s (0x%08X), which was not expected\n", what,
           name ? name : "an unknown status", s);
    exit(1);
}

#define CHECK(call)                                  \
    do {                                             \
        mm_status check_s_ = (call);                 \
        if (check_s_ != STATUS_SUCCESS)              \
            die_status(#call, check_s_);             \
    } while (0)

static struct mm_machine *machine(const struct mm_config *cfg)
{
    const char *why = NULL;
    struct mm_machine *m = mm_create(cfg, &why);
    if (!m) {
        printf("\nbench: mm_create failed: %s\n", why ? why : "(no reason given)");
        exit(1);
    }
    return m;
}

static uint32_t process(struct mm_machine *m, uint32_t ws_maximum)
{
    uint32_t pid = 0;
    CHECK(mm_process_create(m, "bench", &pid));
    if (ws_maximum)
        CHECK(mm_set_ws_limits(m, pid, mm_get_config(m)->ws_minimum, ws_maximum));
    return pid;
}

/* Reserve and commit `pages` read/write pages; the base comes back. */
static mm_va region(struct mm_machine *m, uint32_t pid, uint32_t pages)
{
    mm_va base = 0;
    uint32_t size = pages * PAGE_SIZE;
    CHECK(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    if (size != pages * PAGE_SIZE) {
        printf("\nbench: mm_allocate gave %u bytes for %u pages\n", size, pages);
        exit(1);
    }
    return base;
}

/* The value page i holds at offset 0: never zero for i < 2^32 - 1. */
static uint32_t pattern(uint32_t i) { return 0x9E3779B9u * (i + 1u); }

/* Write the pattern (or zero) at offset 0 of each page. */
static void touch_write(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages, bool zero)
{
    for (uint32_t i = 0; i < pages; i++)
        CHECK(mm_write32(m, pid, base + i * PAGE_SIZE, zero ? 0u : pattern(i)));
}

/* Read offset 0 of each page once; returns how many values were wrong. */
static uint64_t touch_read(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages,
                           bool zero)
{
    uint64_t wrong = 0;
    for (uint32_t i = 0; i < pages; i++) {
        uint32_t v = 0;
        mm_status s = mm_read32(m, pid, base + i * PAGE_SIZE, &v);
        if (s != STATUS_SUCCESS)
            die_status("mm_read32", s);
        wrong += v != (zero ? 0u : pattern(i));
    }
    return wrong;
}

static struct mm_counters counters(const struct mm_machine *m)
{
    struct mm_counters c;
    CHECK(mm_counters(m, 0, &c));
    return c;
}

/* Run the invariant checker (untimed) and report its verdict. */
static void invariants(const struct mm_machine *m)
{
    char msg[512];
    double t0 = now();
    bool ok = mm_check(m, msg, sizeof msg);
    double t = now() - t0;
    if (ok) {
        note("mm_check: all invariants hold (%.3f s, untimed)", t);
    } else {
        problems++;
        note("mm_check FAILED: %s", msg);
    }
}

static void expect(bool ok, const char *what)
{
    if (!ok) {
        problems++;
        note("CHECK FAILED: %s", what);
    }
}

/* ---- 1. The PFN entry ------------------------------------------------------ */

static void bench_pfn_size(void)
{
    char measured[32];
    snprintf(measured, sizeof measured, "%zu bytes", sizeof(struct mmpfn));
    row("1", "sizeof(struct mmpfn)", measured, "== 24", met(sizeof(struct mmpfn) == 24),
        "NT i386 MMPFN layout, 6 x 32 bits");
}

/* ---- 2. A 4 GiB machine ---------------------------------------------------- */

static void bench_create(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = MM_MAX_FRAMES;
    cfg.pagefile_count = 1;
    cfg.pagefile_pages[0] = MM_MAX_PAGEFILE_PAGES;

    uint64_t rss0 = rss_bytes();
    double t0 = now();
    struct mm_machine *m = machine(&cfg);
    double t = now() - t0;
    uint64_t rss1 = rss_bytes();
    struct mm_memory_list_info li;
    mm_memory_list_query(m, &li);
    uint32_t frames = mm_frame_count(m);
    uint32_t pid = process(m, 0);
    uint64_t rss2 = rss_bytes();
    char msg[512];
    double tc = now();
    bool checked = mm_check(m, msg, sizeof msg);
    tc = now() - tc;
    mm_destroy(m);

    /* Two more builds, for the spread (the first, cold one is the figure). */
    double best = t, worst = t;
    for (int i = 0; i < 2; i++) {
        t0 = now();
        struct mm_machine *again = machine(&cfg);
        double ti = now() - t0;
        mm_destroy(again);
        best = ti < best ? ti : best;
        worst = ti > worst ? ti : worst;
    }

    char measured[32], evidence[160], a[32], b[32];
    snprintf(measured, sizeof measured, "%.4f s", t);
    snprintf(evidence, sizeof evidence, "first build; 3 builds: %.4f..%.4f s; %s frames, %s Zeroed",
             best, worst, grouped(a, sizeof a, frames), grouped(b, sizeof b, li.zero_page_count));
    row("2a", "mm_create, 1,048,576 frames + 4 GiB PF", measured, "< 0.2 s", met(t < 0.2),
        evidence);
    expect(frames == MM_MAX_FRAMES && li.zero_page_count == MM_MAX_FRAMES,
           "the machine does not start with 1,048,576 Zeroed frames");

    bool have_rss = rss0 != 0 && rss1 != 0;
    double grow = ((double)rss1 - (double)rss0) / MIB;
    mib_or_na(measured, sizeof measured, have_rss, grow);
    snprintf(evidence, sizeof evidence, "statm resident %.1f -> %.1f MiB; PFN database = %.1f MiB",
             (double)rss0 / MIB, (double)rss1 / MIB,
             (double)MM_MAX_FRAMES * (double)sizeof(struct mmpfn) / MIB);
    row("2b", "  resident set growth of that mm_create", measured, "< 40 MiB",
        have_rss ? met(grow < 40.0) : "?", evidence);

    double grow2 = ((double)rss2 - (double)rss0) / MIB;
    mib_or_na(measured, sizeof measured, have_rss, grow2);
    snprintf(evidence, sizeof evidence, "growth since before mm_create; the process added %.2f MiB",
             ((double)rss2 - (double)rss1) / MIB);
    row("2c", "  ...and after creating one process", measured, "-", "-", evidence);
    (void)pid;
    if (checked) {
        note("mm_check: all invariants hold (%.3f s, untimed)", tc);
    } else {
        problems++;
        note("mm_check FAILED: %s", msg);
    }
}

/* ---- 3 and 4. Translations through the TLB --------------------------------- */

struct read_loop {
    uint64_t reads, wrong;
    double seconds;
    double best, worst;      /* rates of the fastest and slowest chunk of 1 Mi reads */
    struct mm_counters before, after;
};

/* Read offset 0 of pages [0, pages) round and round for MIN_SECONDS. */
static void read_loop(struct mm_machine *m, uint32_t pid, mm_va base, uint32_t pages,
                      struct read_loop *r)
{
    uint32_t rounds = (1u << 20) / pages;   /* between clock reads */
    memset(r, 0, sizeof *r);
    r->before = counters(m);
    r->worst = 1e300;
    double t0 = now(), last = t0;
    do {
        for (uint32_t k = 0; k < rounds; k++) {
            for (uint32_t i = 0; i < pages; i++) {
                uint32_t v = 0;
                mm_status s = mm_read32(m, pid, base + i * PAGE_SIZE, &v);
                if (s != STATUS_SUCCESS)
                    die_status("mm_read32", s);
                r->wrong += v != pattern(i);
            }
        }
        r->reads += (uint64_t)rounds * pages;
        double t = now();
        double chunk = (double)rounds * (double)pages / (t - last);
        r->best = chunk > r->best ? chunk : r->best;
        r->worst = chunk < r->worst ? chunk : r->worst;
        last = t;
        r->seconds = t - t0;
    } while (r->seconds < MIN_SECONDS);
    r->after = counters(m);
}

static void bench_tlb(bool hits)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    /* Hits: 16 consecutive pages use 16 of the 64 direct-mapped slots.
     * Misses: with one slot every access evicts the previous page. */
    cfg.tlb_entries = hits ? 64 : 1;
    const uint32_t pages = 16;
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = process(m, 0);
    mm_va base = region(m, pid, pages);
    touch_write(m, pid, base, pages, false);
    expect(touch_read(m, pid, base, pages, false) == 0, "warm-up read-back gave wrong values");

    struct read_loop r;
    read_loop(m, pid, base, pages, &r);
    uint64_t h = r.after.tlb_hits - r.before.tlb_hits;
    uint64_t mi = r.after.tlb_misses - r.before.tlb_misses;
    uint64_t faults = r.after.page_fault_count - r.before.page_fault_count;
    double per_s = (double)r.reads / r.seconds;
    double total = (double)(h + mi ? h + mi : 1);

    char measured[32], evidence[160], a[32], b[32], c[32];
    rate(measured, sizeof measured, per_s);
    if (hits) {
        snprintf(evidence, sizeof evidence, "hit ratio %.4f%%: %s hits, %s misses",
                 100.0 * (double)h / total, grouped(b, sizeof b, h), grouped(c, sizeof c, mi));
        row("3", "TLB-hit translations (mm_read32)", measured, ">= 50 M/s", met(per_s >= 50e6),
            evidence);
        expect(h == r.reads && mi == 0, "not every timed read was a TLB hit");
    } else {
        snprintf(evidence, sizeof evidence, "miss ratio %.4f%%: %s misses, %s hits",
                 100.0 * (double)mi / total, grouped(b, sizeof b, mi), grouped(c, sizeof c, h));
        row("4", "TLB-miss translations (table walk)", measured, "-", "-", evidence);
        expect(mi == r.reads && h == 0, "not every timed read was a TLB miss");
    }
    note("%s reads of %u resident pages, TLB of %u entr%s, %.3f s, %.1f ns/read, %llu faults",
         grouped(a, sizeof a, r.reads), pages, cfg.tlb_entries, cfg.tlb_entries == 1 ? "y" : "ies",
         r.seconds, 1e9 * r.seconds / (double)r.reads, (unsigned long long)faults);
    note("spread over chunks of %s reads: slowest %s, fastest %s",
         grouped(a, sizeof a, (1u << 20) / pages * pages), rate(b, sizeof b, r.worst),
         rate(c, sizeof c, r.best));
    expect(faults == 0, "page faults were taken in a loop over resident pages");
    expect(r.wrong == 0, "mm_read32 returned values that were not written");
    invariants(m);
    mm_destroy(m);
}

/* ---- 5. Demand-zero faults ------------------------------------------------- */

#define DZ_FRAMES 262144u   /* 1 GiB */
#define DZ_PAGES  196608u   /* 768 MiB */

struct dz_run {
    double seconds;
    uint64_t dz, pt, all, wrong, materialized;
    uint32_t tables;         /* page tables the region spans */
    bool ws_ok;
    bool checked;
    char msg[512];
};

/* One fresh machine, one big region, each page written once (timed). */
static void dz_once(bool zero, bool check, struct dz_run *r)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = DZ_FRAMES;
    cfg.pagefile_pages[0] = DZ_FRAMES;
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = process(m, cfg.frames);
    mm_va base = region(m, pid, DZ_PAGES);

    struct mm_counters c0 = counters(m);
    double t0 = now();
    touch_write(m, pid, base, DZ_PAGES, zero);
    r->seconds += now() - t0;
    struct mm_counters c1 = counters(m);

    r->dz += c1.faults[MM_FAULT_DEMAND_ZERO] - c0.faults[MM_FAULT_DEMAND_ZERO];
    r->pt += c1.faults[MM_FAULT_PAGE_TABLE] - c0.faults[MM_FAULT_PAGE_TABLE];
    r->all += c1.page_fault_count - c0.page_fault_count;
    r->tables += VA_PDI(base + DZ_PAGES * PAGE_SIZE - 1) - VA_PDI(base) + 1;
    r->materialized = c1.host_frames_materialized;
    r->wrong += touch_read(m, pid, base, DZ_PAGES, zero);
    const struct mm_wsl *ws = mm_working_set(m, pid);
    r->ws_ok = ws && ws->size >= DZ_PAGES;
    if (check)
        r->checked = mm_check(m, r->msg, sizeof r->msg);
    mm_destroy(m);
}

static void dz_report(const char *num, const char *figure, uint32_t machines, struct dz_run *r)
{
    uint64_t pages = (uint64_t)machines * DZ_PAGES;
    double per_s = (double)pages / r->seconds;
    char measured[32], evidence[160], a[32], b[32];
    rate(measured, sizeof measured, per_s);
    snprintf(evidence, sizeof evidence, "%s demand-zero + %s page-table faults",
             grouped(a, sizeof a, r->dz), grouped(b, sizeof b, r->pt));
    row(num, figure, measured, "-", "-", evidence);
    note("%u machine%s of %s frames, %s pages each written once by mm_write32, %.3f s timed",
         machines, machines == 1 ? "" : "s", grouped(a, sizeof a, DZ_FRAMES),
         grouped(b, sizeof b, DZ_PAGES), r->seconds);
    note("host 4 KiB pages materialized by the engine (last machine): %s",
         grouped(a, sizeof a, r->materialized));
    expect(r->dz == pages, "demand-zero fault count differs from pages touched");
    expect(r->pt == r->tables, "page-table fault count is not one per page table spanned");
    /* PageFaultCount counts the pages a fault puts in the working set, as
     * NT's MiAllocateWsle does: each data page and each new page table. */
    note("page_fault_count rose by %s: a page's fault and a new table's", grouped(a, sizeof a, r->all));
    expect(r->all == r->dz + r->pt, "page_fault_count differs from the demand-zero and page-table faults");
    expect(r->wrong == 0, "read-back after demand-zero faults is wrong");
    expect(r->ws_ok, "the working set does not hold every page touched");
    if (r->checked) {
        note("mm_check: all invariants hold (untimed)");
    } else {
        problems++;
        note("mm_check FAILED: %s", r->msg);
    }
}

static void bench_demand_zero(void)
{
    /* a: writing 0 leaves the frame's host page unallocated (the engine's
     * phys_write32 skips it), so this is the engine's own fault path. */
    struct dz_run r;
    memset(&r, 0, sizeof r);
    uint32_t machines = 0;
    do
        dz_once(true, false, &r);
    while (++machines < 64 && r.seconds < MIN_SECONDS);
    /* the last machine again, checked (its time counts like the others) */
    dz_once(true, true, &r);
    machines++;
    dz_report("5a", "demand-zero faults, writing 0", machines, &r);

    /* b: writing data makes the engine allocate the frame's 4 KiB host page;
     * the host's own page faults for it are timed too. */
    memset(&r, 0, sizeof r);
    dz_once(false, true, &r);
    dz_report("5b", "demand-zero faults, writing data", 1, &r);
}

/* ---- 6. Soft (transition) faults ------------------------------------------- */

static uint64_t standby_pages(const struct mm_machine *m)
{
    struct mm_memory_list_info li;
    mm_memory_list_query(m, &li);
    uint64_t n = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        n += li.page_count_by_priority[p];
    return n;
}

static void bench_soft(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 65536;
    cfg.pagefile_pages[0] = 65536;
    const uint32_t pages = 16384;        /* 64 MiB */
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = process(m, cfg.frames);
    mm_va base = region(m, pid, pages);
    touch_write(m, pid, base, pages, false);
    /* Once out and written, the pages are clean: every round trims them to
     * Standby, the usual home of a page that comes back with a transition fault. */
    CHECK(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu));
    uint32_t written = mm_run_modified_writer(m);
    expect(written == pages, "the modified page writer did not write every page");
    expect(touch_read(m, pid, base, pages, false) == 0, "read-back after the write-out is wrong");

    struct mm_counters c0 = counters(m);
    double trim_s = 0, touch_s = 0, best = 0, worst = 1e300;
    uint64_t rounds = 0, wrong = 0, standby_min = UINT64_MAX;
    while (touch_s < MIN_SECONDS) {
        double t0 = now();
        CHECK(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu));
        trim_s += now() - t0;
        uint64_t standby = standby_pages(m);   /* untimed */
        standby_min = standby < standby_min ? standby : standby_min;
        double t1 = now();
        wrong += touch_read(m, pid, base, pages, false);
        double dt = now() - t1;
        touch_s += dt;
        best = (double)pages / dt > best ? (double)pages / dt : best;
        worst = (double)pages / dt < worst ? (double)pages / dt : worst;
        rounds++;
    }
    struct mm_counters c1 = counters(m);
    uint64_t total = rounds * pages;
    uint64_t tr = c1.faults[MM_FAULT_TRANSITION] - c0.faults[MM_FAULT_TRANSITION];
    uint64_t all = c1.page_fault_count - c0.page_fault_count;
    uint64_t trimmed = c1.pages_trimmed - c0.pages_trimmed;
    double per_s = (double)total / touch_s;

    char measured[32], evidence[160], a[32], b[32], r2[32];
    rate(measured, sizeof measured, per_s);
    snprintf(evidence, sizeof evidence, "touches only; %s transition faults",
             grouped(a, sizeof a, tr));
    row("6", "transition faults, from Standby", measured, ">= 5 M/s", met(per_s >= 5e6),
        evidence);
    note("%llu rounds x %s pages: empty the working set, then mm_read32 each page; %.3f s timed",
         (unsigned long long)rounds, grouped(a, sizeof a, pages), touch_s);
    note("emptying (ProcessQuotaLimits -1,-1), timed apart: %s pages in %.3f s = %s",
         grouped(b, sizeof b, trimmed), trim_s, rate(r2, sizeof r2, (double)trimmed / trim_s));
    note("trim + touch together: %s; touch rounds: slowest %s, fastest %s",
         rate(r2, sizeof r2, (double)total / (trim_s + touch_s)), rate(a, sizeof a, worst),
         rate(b, sizeof b, best));
    expect(standby_min == pages, "the trimmed pages were not all on Standby");
    expect(trimmed == total, "pages_trimmed differs from pages in the working set");
    expect(tr == total, "transition fault count differs from pages touched");
    expect(all == tr, "page_fault_count has faults of other kinds");
    expect(wrong == 0, "pages came back from Standby with wrong contents");
    invariants(m);
    mm_destroy(m);
}

/* ---- 6h. The working-set hash, pages a power of two apart ------------------- */

/* FIFO replacement at a data-page limit of 3/4 of HASH_PAGES pages that
 * lie `stride` pages apart, read round and round: every reference faults,
 * so every reference puts the page's entry in the working set's hash and
 * takes the victim's out. The time per reference rises when the pages'
 * home slots crowd together. Returns references per second; *faults the
 * faults counted. */
#define HASH_PAGES 1024u
#define HASH_STRIDE 256u  /* 1 MiB: one page per megabyte, as a heap of 1 MiB segments leaves them */

static double strided_faults(uint32_t stride, uint64_t *faults)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 8192;
    cfg.policy = MM_POLICY_FIFO;
    cfg.pagefile_pages[0] = 2 * HASH_PAGES;
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = 0, limit = HASH_PAGES / 4 * 3;
    CHECK(mm_process_create(m, "bench", &pid));
    CHECK(mm_set_data_page_limit(m, pid, limit));
    mm_va base = 0;
    uint32_t size = HASH_PAGES * stride * PAGE_SIZE;
    CHECK(mm_allocate(m, pid, &base, &size, MEM_RESERVE, PAGE_READWRITE));
    for (uint32_t i = 0; i < HASH_PAGES; i++) {
        mm_va va = base + i * stride * PAGE_SIZE;
        uint32_t one = PAGE_SIZE;
        CHECK(mm_allocate(m, pid, &va, &one, MEM_COMMIT, PAGE_READWRITE));
        CHECK(mm_write32(m, pid, va, pattern(i)));
    }
    struct mm_counters c0 = counters(m);
    double touch_s = 0;
    uint64_t rounds = 0, wrong = 0;
    while (touch_s < MIN_SECONDS) {
        double t0 = now();
        for (uint32_t i = 0; i < HASH_PAGES; i++) {
            uint32_t v = 0;
            CHECK(mm_read32(m, pid, base + i * stride * PAGE_SIZE, &v));
            wrong += v != pattern(i);
        }
        touch_s += now() - t0;
        rounds++;
    }
    struct mm_counters c1 = counters(m);
    *faults = c1.page_fault_count - c0.page_fault_count;
    expect(*faults == rounds * HASH_PAGES, "a strided page was found resident: FIFO over more pages than the limit");
    expect(wrong == 0, "strided pages came back with wrong contents");
    invariants(m);
    mm_destroy(m);
    return (double)(rounds * HASH_PAGES) / touch_s;
}

static void bench_hash(void)
{
    uint64_t even_faults, odd_faults;
    double even = strided_faults(HASH_STRIDE, &even_faults), odd = strided_faults(HASH_STRIDE + 1, &odd_faults);
    char measured[32], evidence[160], a[32], b[32];
    rate(measured, sizeof measured, even);
    snprintf(evidence, sizeof evidence, "FIFO, %s pages %u apart (1 MiB), %u resident; %s faults",
             grouped(a, sizeof a, HASH_PAGES), HASH_STRIDE, HASH_PAGES / 4 * 3, grouped(b, sizeof b, even_faults));
    row("6h", "faulting references, pages 2^k apart", measured, "-", "-", evidence);
    double ratio = odd / even;
    snprintf(measured, sizeof measured, "%.2f", ratio);
    snprintf(evidence, sizeof evidence, "%s faults at %s on pages %u apart",
             grouped(a, sizeof a, odd_faults), rate(b, sizeof b, odd), HASH_STRIDE + 1);
    row("", "  ...time per reference against 2^k + 1 apart", measured, "< 1.5", met(ratio < 1.5), evidence);
}

/* ---- 7. Hard (paging-file) faults ------------------------------------------ */

static void bench_hard(void)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    cfg.frames = 65536;
    cfg.pagefile_pages[0] = 65536;
    const uint32_t pages = 16384;        /* 64 MiB */
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = process(m, cfg.frames);
    mm_va base = region(m, pid, pages);
    touch_write(m, pid, base, pages, false);

    /* Out of the working set to Modified, written to the paging file. */
    CHECK(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu));
    uint32_t written = mm_run_modified_writer(m);
    expect(written == pages, "the modified page writer did not write every page");

    struct mm_counters c0 = counters(m);
    double touch_s = 0, purge_s = 0, best = 0, worst = 1e300;
    uint64_t rounds = 0, wrong = 0, left_in_memory = 0;
    for (;;) {
        /* Standby purged: the pages now live only in the paging file. */
        double t0 = now();
        CHECK(mm_memory_list_command(m, MemoryPurgeStandbyList));
        purge_s += now() - t0;
        struct mm_memory_list_info li;
        mm_memory_list_query(m, &li);   /* untimed */
        left_in_memory += standby_pages(m) + li.modified_page_count;
        double t1 = now();
        wrong += touch_read(m, pid, base, pages, false);
        double dt = now() - t1;
        touch_s += dt;
        best = (double)pages / dt > best ? (double)pages / dt : best;
        worst = (double)pages / dt < worst ? (double)pages / dt : worst;
        rounds++;
        if (touch_s >= MIN_SECONDS)
            break;
        /* Read back, clean, slot kept: trimming sends them to Standby. */
        CHECK(mm_set_ws_limits(m, pid, 0xFFFFFFFFu, 0xFFFFFFFFu));
    }
    struct mm_counters c1 = counters(m);
    uint64_t total = rounds * pages;
    uint64_t pf = c1.faults[MM_FAULT_PAGE_FILE] - c0.faults[MM_FAULT_PAGE_FILE];
    uint64_t all = c1.page_fault_count - c0.page_fault_count;
    uint64_t read = c1.pages_read - c0.pages_read;
    uint64_t rewritten = c1.pages_written - c0.pages_written;
    double per_s = (double)total / touch_s;

    char measured[32], evidence[160], a[32], b[32], r2[32];
    rate(measured, sizeof measured, per_s);
    snprintf(evidence, sizeof evidence, "touches only; %s page-file faults, %s pages read",
             grouped(a, sizeof a, pf), grouped(b, sizeof b, read));
    row("7", "hard (paging-file) faults, 4 KiB read", measured, "-", "-", evidence);
    note("%llu rounds x %s pages: trim, purge Standby, then mm_read32 each page; %.3f s timed",
         (unsigned long long)rounds, grouped(a, sizeof a, pages), touch_s);
    note("touch rounds: slowest %s, fastest %s; MemoryPurgeStandbyList, timed apart: %s",
         rate(a, sizeof a, worst), rate(b, sizeof b, best),
         rate(r2, sizeof r2, (double)total / purge_s));
    note("paging file: %s of %s slots in use, %s pages written by the writer before the rounds",
         grouped(a, sizeof a, c1.pagefile_used), grouped(b, sizeof b, c1.pagefile_size),
         grouped(r2, sizeof r2, written));
    expect(left_in_memory == 0, "pages were still on Standby/Modified after the purge");
    expect(c1.pagefile_used == pages, "paging-file slots in use differ from the pages written");
    expect(rewritten == 0, "clean pages were written to the paging file again");
    expect(pf == total, "page-file fault count differs from pages touched");
    expect(read == total, "pages_read differs from pages touched (read_cluster is 0)");
    expect(all == pf, "page_fault_count has faults of other kinds");
    expect(wrong == 0, "pages came back from the paging file with wrong contents");
    invariants(m);
    mm_destroy(m);
}


/* ---- 8. Trace replay through the whole model -------------------------------- */

/* The bench trace: TRACE_REFS references over TRACE_FOOTPRINT pages with a
 * program's locality. 98 in 100 go to a hot window of TRACE_HOT pages that
 * slides one page every 1,000 references (a loop working its way through
 * its data); the rest go anywhere. One in four is a write. With 1,000 data
 * pages LRU misses about 3% of the time (the rows print the rates). */
#define TRACE_REFS      4000000u
#define TRACE_FOOTPRINT 8192u
#define TRACE_HOT       700u
#define TRACE_TABLES    (TRACE_FOOTPRINT / 1024u)
#define TRACE_CACHE     1000u
#define TRACE_RUNS      5u
#define BARE_RUNS       25u      /* the bare loop and the floor take milliseconds: more runs steady their medians */
#define TRACE_TICK      10000u   /* references per clock tick, as mmsim trace's default */
#define TRACE_BATCH     256u     /* references per mm_touch_pages, as mmsim trace's */

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Page numbers, with bit 31 set for a write. */
static uint32_t *make_trace(void)
{
    uint32_t *refs = malloc(TRACE_REFS * sizeof *refs), seed = 0x2545F491u, hot = 0;
    if (!refs) {
        printf("\nbench: out of memory for the trace\n");
        exit(1);
    }
    for (uint32_t i = 0; i < TRACE_REFS; i++) {
        uint32_t r = xorshift(&seed);
        if (i % 1000 == 999)
            hot = (hot + 1) % TRACE_FOOTPRINT;
        uint32_t page = r % 50 ? (hot + (r >> 8) % TRACE_HOT) % TRACE_FOOTPRINT : (r >> 8) % TRACE_FOOTPRINT;
        refs[i] = page | ((r >> 4) % 4 == 0 ? 0x80000000u : 0);
    }
    return refs;
}

/* The yardstick: LRU as a C programmer writes it for a page-number trace,
 * arrays indexed by page for the lookup and a doubly linked recency list,
 * O(1) per reference. Returns the misses. */
static uint64_t bare_lru(const uint32_t *refs, uint32_t n, uint32_t cache, uint32_t *prev, uint32_t *next,
                         uint8_t *in)
{
    const uint32_t none = UINT32_MAX;
    uint32_t head = none, tail = none, count = 0;
    uint64_t misses = 0;
    memset(in, 0, TRACE_FOOTPRINT);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p = refs[i] & 0x7FFFFFFFu;
        if (in[p]) {
            if (p == tail)
                continue;
            if (prev[p] == none)
                head = next[p];
            else
                next[prev[p]] = next[p];
            prev[next[p]] = prev[p];
        } else {
            misses++;
            if (count == cache) {
                uint32_t v = head;
                head = next[v];
                if (head == none)
                    tail = none;
                else
                    prev[head] = none;
                in[v] = 0;
            } else {
                count++;
            }
            in[p] = 1;
        }
        prev[p] = tail;
        next[p] = none;
        if (tail == none)
            head = p;
        else
            next[tail] = p;
        tail = p;
    }
    return misses;
}

/* The floor under the model: the same LRU, with the processor's side of
 * each reference done as the engine's i386 does it and nothing of NT's.
 * A 64-entry TLB indexed by VPN (the engine's default) holds the PTE; a
 * write hits only when the cached PTE is Dirty. On a TLB miss, the walk
 * loads the PDE from the directory and the PTE from its table, both in
 * frames reached through a table of frame pointers (the engine's
 * phys.page), tests Valid, sets Accessed and Dirty in the PTE when they
 * are not set, and fills the TLB. A page that is not Valid is a miss:
 * the least recently used page's PTE loses Valid (and its TLB entry
 * goes), the page's becomes Valid, as a page fault would leave them. No
 * working-set list, no PFN database, no lists, no paging file, no clock.
 * Returns the misses, which must be the bare loop's. */
#define FLOOR_TLB 64u
struct floor_tlb {
    uint32_t vpn, pte;
};

static uint64_t floor_lru(const uint32_t *refs, uint32_t n, uint32_t cache, uint32_t *prev, uint32_t *next,
                          uint32_t **frame, struct floor_tlb *tlb)
{
    const uint32_t VALID = 0x1u, ACCESSED = 0x20u, DIRTY = 0x40u, DIRECTORY = 0;
    const uint32_t none = UINT32_MAX;
    uint32_t head = none, tail = none, count = 0;
    uint64_t misses = 0;
    for (uint32_t t = 0; t < TRACE_TABLES; t++)
        memset(frame[1 + t], 0, PAGE_SIZE);
    for (uint32_t k = 0; k < FLOOR_TLB; k++)
        tlb[k].vpn = none;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p = refs[i] & 0x7FFFFFFFu, dirty = refs[i] >> 31 ? DIRTY : 0;
        struct floor_tlb *e = &tlb[p % FLOOR_TLB];
        if (e->vpn != p || (e->pte & dirty) != dirty) {
            uint32_t pde = frame[DIRECTORY][p >> 10];
            uint32_t *pte = &frame[pde >> PAGE_SHIFT][p & 0x3FFu];
            if (!(*pte & VALID)) {
                misses++;
                if (count == cache) {
                    uint32_t v = head;
                    head = next[v];
                    if (head == none)
                        tail = none;
                    else
                        prev[head] = none;
                    frame[frame[DIRECTORY][v >> 10] >> PAGE_SHIFT][v & 0x3FFu] &= ~VALID;
                    if (tlb[v % FLOOR_TLB].vpn == v)
                        tlb[v % FLOOR_TLB].vpn = none;
                } else {
                    count++;
                }
                *pte = VALID;
                /* a new page: last on the list (the hit's unlink below skips it) */
                prev[p] = tail;
                next[p] = none;
                if (tail == none)
                    head = p;
                else
                    next[tail] = p;
                tail = p;
            }
            if ((*pte & (ACCESSED | dirty)) != (ACCESSED | dirty))
                *pte |= ACCESSED | dirty;
            e->vpn = p;
            e->pte = *pte;
        }
        if (p == tail)
            continue;
        if (prev[p] == none)
            head = next[p];
        else
            next[prev[p]] = next[p];
        prev[next[p]] = prev[p];
        prev[p] = tail;
        next[p] = none;
        next[tail] = p;
        tail = p;
    }
    return misses;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, uint32_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct replay_run {
    double seconds;
    uint64_t misses;
    struct mm_counters c;
    uint64_t evictions;
    bool checked;
};

/* One replay as mmsim trace runs it (mm_set_data_page_limit, a hard
 * minimum over everything the process holds, one tick per 10,000 page
 * references, the references given to mm_touch_pages in batches); OPT is
 * told each page's next use after its reference. */
static void replay(enum mm_policy policy, const uint32_t *refs, const uint32_t *next_ref, bool check,
                   struct replay_run *out)
{
    struct mm_config cfg;
    mm_config_default(&cfg);
    uint32_t need = TRACE_CACHE + TRACE_TABLES + 3 + 16;
    mm_config_for_memory(&cfg, need + need / 2);
    cfg.policy = policy;
    cfg.pagefile_pages[0] = TRACE_FOOTPRINT + 256;
    struct mm_machine *m = machine(&cfg);
    uint32_t pid = 0;
    CHECK(mm_process_create(m, "trace", &pid));
    CHECK(mm_set_data_page_limit(m, pid, TRACE_CACHE));
    CHECK(mm_set_ws_limits_ex(m, pid, TRACE_CACHE + TRACE_TABLES + 3, MM_MAX_FRAMES, QUOTA_LIMITS_HARDWS_MIN_ENABLE));
    mm_va base = 0x01000000u;
    uint32_t size = TRACE_FOOTPRINT * PAGE_SIZE;
    CHECK(mm_allocate(m, pid, &base, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE));
    uint64_t misses = 0, hits = 0;
    uint32_t since_tick = 0;
    mm_va va[TRACE_BATCH];
    uint8_t access[TRACE_BATCH], fault[TRACE_BATCH], table[TRACE_BATCH];
    double t0 = now();
    for (uint32_t i = 0; i < TRACE_REFS;) {
        /* a batch as mmsim trace makes one: up to the tick, one reference for OPT */
        uint32_t n = next_ref ? 1 : TRACE_BATCH, done;
        if (n > TRACE_TICK - since_tick)
            n = TRACE_TICK - since_tick;
        if (n > TRACE_REFS - i)
            n = TRACE_REFS - i;
        for (uint32_t k = 0; k < n; k++) {
            va[k] = base + (refs[i + k] & 0x7FFFFFFFu) * PAGE_SIZE;
            access[k] = (uint8_t)(refs[i + k] >> 31 ? MM_ACCESS_WRITE : MM_ACCESS_READ);
        }
        mm_status s = mm_touch_pages(m, pid, va, access, n, fault, table, &done);
        if (s != STATUS_SUCCESS)
            die_status("mm_touch_pages", s);
        for (uint32_t k = 0; k < n; k++)
            if (fault[k] == MM_FAULT_NONE)
                hits++;
            else
                misses++;
        if (next_ref)
            mm_set_next_use(m, pid, va[0], next_ref[i] == UINT32_MAX ? UINT64_MAX : next_ref[i]);
        i += n;
        if ((since_tick += n) == TRACE_TICK) {
            since_tick = 0;
            mm_tick(m, 1);
        }
    }
    out->seconds = now() - t0;
    out->misses = misses;
    out->c = counters(m);
    out->evictions = mm_working_set(m, pid)->replacements;
    expect(hits + misses == TRACE_REFS, "hits and misses do not add up to the references");
    expect(mm_working_set(m, pid)->trimmed == 0, "pages were trimmed: the policy alone must choose");
    if (check)
        invariants(m);
    mm_destroy(m);
}

static void bench_trace(void)
{
    uint32_t *refs = make_trace();
    uint32_t *prev = malloc(TRACE_FOOTPRINT * sizeof *prev), *nxt = malloc(TRACE_FOOTPRINT * sizeof *nxt);
    uint8_t *in = malloc(TRACE_FOOTPRINT);
    uint32_t *next_ref = malloc(TRACE_REFS * sizeof *next_ref), *last = malloc(TRACE_FOOTPRINT * sizeof *last);
    if (!prev || !nxt || !in || !next_ref || !last) {
        printf("\nbench: out of memory\n");
        exit(1);
    }
    for (uint32_t p = 0; p < TRACE_FOOTPRINT; p++)
        last[p] = UINT32_MAX;
    for (uint32_t i = TRACE_REFS; i-- > 0;) {
        uint32_t p = refs[i] & 0x7FFFFFFFu;
        next_ref[i] = last[p];
        last[p] = i;
    }

    double bare_t[BARE_RUNS];
    uint64_t bare_misses = 0;
    for (uint32_t r = 0; r < BARE_RUNS; r++) {
        double t0 = now();
        bare_misses = bare_lru(refs, TRACE_REFS, TRACE_CACHE, prev, nxt, in);
        bare_t[r] = now() - t0;
    }
    double bare = (double)TRACE_REFS / median(bare_t, BARE_RUNS);
    char measured[32], evidence[200], a[32], b[32];
    rate(measured, sizeof measured, bare);
    snprintf(evidence, sizeof evidence, "bare C LRU loop, %u pages: %s misses (%.2f%%); median of %u runs",
             TRACE_CACHE, grouped(a, sizeof a, bare_misses), 100.0 * (double)bare_misses / TRACE_REFS, BARE_RUNS);
    row("8", "trace references, bare C LRU loop", measured, "-", "-", evidence);
    note("trace: %s references over %u pages, 98%% in a sliding window of %u, 25%% writes",
         grouped(a, sizeof a, TRACE_REFS), TRACE_FOOTPRINT, TRACE_HOT);

    /* the floor: a directory and its tables in frames of their own */
    uint32_t *frames[1 + TRACE_TABLES];
    struct floor_tlb tlb[FLOOR_TLB];
    for (uint32_t f = 0; f <= TRACE_TABLES; f++)
        if (!(frames[f] = calloc(1024, sizeof(uint32_t)))) {
            printf("\nbench: out of memory\n");
            exit(1);
        }
    for (uint32_t t = 0; t < TRACE_TABLES; t++)
        frames[0][t] = (1 + t) << PAGE_SHIFT | 1u;
    double floor_t[BARE_RUNS];
    uint64_t floor_misses = 0;
    for (uint32_t r = 0; r < BARE_RUNS; r++) {
        double t0 = now();
        floor_misses = floor_lru(refs, TRACE_REFS, TRACE_CACHE, prev, nxt, frames, tlb);
        floor_t[r] = now() - t0;
    }
    for (uint32_t f = 0; f <= TRACE_TABLES; f++)
        free(frames[f]);
    expect(floor_misses == bare_misses, "the floor's LRU misses differ from the bare loop's");
    double floor_rate = (double)TRACE_REFS / median(floor_t, BARE_RUNS);
    rate(measured, sizeof measured, floor_rate);
    row("8f", "trace references, i386 TLB and walk + LRU", measured, "-", "-",
        "the floor under the model: TLB, PDE, PTE, A/D bits, LRU; nothing of NT's");
    snprintf(a, sizeof a, "1/%.1f", bare / floor_rate);
    row("", "  ...of the bare loop's rate (row 8)", a, "-", "-", "the same references, timed in the same run");

    static const enum mm_policy order[] = {MM_POLICY_FIFO, MM_POLICY_LRU, MM_POLICY_CLOCK, MM_POLICY_AGING,
                                           MM_POLICY_OPT};
    static const char *const nums[] = {"8a", "8b", "8c", "8d", "8e"};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        enum mm_policy pol = order[k];
        double t[TRACE_RUNS];
        struct replay_run run = {0};
        for (uint32_t r = 0; r < TRACE_RUNS; r++) {
            replay(pol, refs, pol == MM_POLICY_OPT ? next_ref : NULL, r == TRACE_RUNS - 1, &run);
            t[r] = run.seconds;
        }
        double per_s = (double)TRACE_REFS / median(t, TRACE_RUNS);
        bool targeted = pol == MM_POLICY_FIFO || pol == MM_POLICY_LRU || pol == MM_POLICY_CLOCK;
        bool fast = per_s >= 35e6, near = per_s * 5 >= bare;
        char figure[64];
        snprintf(figure, sizeof figure, "trace replay, %s, %u data pages", mm_policy_name(pol), TRACE_CACHE);
        rate(measured, sizeof measured, per_s);
        snprintf(evidence, sizeof evidence, "%s misses (%.2f%%): %s transition, %s hard",
                 grouped(a, sizeof a, run.misses), 100.0 * (double)run.misses / TRACE_REFS,
                 grouped(b, sizeof b, run.c.faults[MM_FAULT_TRANSITION]),
                 grouped(measured + 16, 16, run.c.faults[MM_FAULT_PAGE_FILE]));
        rate(measured, sizeof measured, per_s);
        row(nums[k], figure, measured, targeted ? ">= 35 M/s" : "-", targeted ? met(fast) : "-", evidence);
        note("median of %u runs; TLB %s hits, %s misses; %s pages written",
             TRACE_RUNS, grouped(a, sizeof a, run.c.tlb_hits), grouped(b, sizeof b, run.c.tlb_misses),
             grouped(evidence, 32, run.c.pages_written));
        if (pol == MM_POLICY_LRU)
            expect(run.misses == bare_misses, "the engine's LRU misses differ from the bare loop's");
        char ratio[32];
        snprintf(ratio, sizeof ratio, "1/%.1f", bare / per_s);
        row("", "  ...of the bare loop's rate (row 8)", ratio, targeted ? ">= 1/5" : "-", targeted ? met(near) : "-",
            "the same references, timed in the same run");
        snprintf(ratio, sizeof ratio, "1/%.1f", floor_rate / per_s);
        row("", "  ...of the floor's rate (row 8f)", ratio, "-", "-", "what NT's machinery costs over the processor's");
    }
    free(refs);
    free(prev);
    free(nxt);
    free(in);
    free(next_ref);
    free(last);
}

/* ---- 9 and 10. Scenarios: parsing, replay per step, seeking -------------------- */

/* A scenario as a course writes a long one: 128 pages allocated, then reads
 * and writes (one in four) at random among them, a trim of 16 pages every
 * 100 steps (so faults keep coming: soft ones, and hard ones on a small
 * machine), an expectation every 1,000. The working set fits in 256 frames,
 * so every machine size does the same work and only the checking differs. */
static char *bench_scenario(uint32_t steps, uint32_t frames, size_t *len)
{
    size_t cap = 400 + (size_t)steps * 80, n = 0;
    char *t = malloc(cap);
    if (!t) {
        printf("\nbench: out of memory for the scenario text\n");
        exit(1);
    }
    n += (size_t)snprintf(t + n, cap - n,
                          "{\"name\": \"bench\", \"description\": \"make bench\", \"machine\": {\"frames\": %u},\n"
                          " \"processes\": [{\"name\": \"a\"}],\n \"steps\": [\n"
                          "  {\"op\": \"allocate\", \"process\": \"a\", \"address\": \"0x01000000\", \"size\": \"512K\"}",
                          frames);
    uint32_t seed = 0x9E3779B9u;
    for (uint32_t i = 1; i < steps; i++) {
        uint32_t page = xorshift(&seed) % 128u;
        if (i % 100 == 0)
            n += (size_t)snprintf(t + n, cap - n, ",\n  {\"op\": \"trim\", \"process\": \"a\", \"pages\": 16}");
        else if (i % 1000 == 550)   /* not a multiple of 100: those are trims */
            n += (size_t)snprintf(t + n, cap - n, ",\n  {\"op\": \"expect\", \"status\": \"STATUS_SUCCESS\"}");
        else if (i % 4 == 0)
            n += (size_t)snprintf(t + n, cap - n,
                                  ",\n  {\"op\": \"write\", \"process\": \"a\", \"address\": \"0x%08X\", \"value\": %u}",
                                  0x01000000u + page * PAGE_SIZE, i);
        else
            n += (size_t)snprintf(t + n, cap - n, ",\n  {\"op\": \"read\", \"process\": \"a\", \"address\": \"0x%08X\"}",
                                  0x01000000u + page * PAGE_SIZE);
    }
    n += (size_t)snprintf(t + n, cap - n, "\n ]\n}\n");
    *len = n;
    return t;
}

static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;   /* small blocks in use + large ones mapped apart */
#else
    return 0;
#endif
}

static struct scenario *load(const char *text, size_t len)
{
    struct scn_errors errs;
    struct scenario *sc = scenario_load("bench.json", text, len, &errs);
    if (!sc) {
        printf("\nbench: the generated scenario is refused: %s\n", errs.count ? errs.e[0].message : "?");
        exit(1);
    }
    return sc;
}

static void start(struct replay *r, const struct scenario *sc, enum replay_check mode)
{
    char why[256];
    if (!replay_start(r, sc, NULL, NULL, why, sizeof why) || !replay_set_check(r, mode)) {
        printf("\nbench: replay_start: %s\n", why);
        exit(1);
    }
}

/* Run steps until the end or MIN_SECONDS; the seconds per step. */
static double per_step(struct replay *r, uint32_t *ran)
{
    struct replay_result res;
    uint32_t n = 0;
    double t0 = now(), t;
    do {
        for (uint32_t k = 0; k < 64 && replay_step(r, &res); k++)
            n++;
        t = now() - t0;
    } while (t < MIN_SECONDS && r->next < r->sc->nsteps && !r->broken);
    if (r->broken) {
        problems++;
        note("CHECK FAILED: %s", r->broken_msg);
    }
    *ran = n;
    return t / (n ? n : 1);
}

static void bench_parse(void)
{
    const uint32_t steps = 1000000;
    size_t len;
    char *text = bench_scenario(steps, 4096, &len);
    size_t heap0 = heap_in_use();
    double t0 = now();
    struct scenario *sc = load(text, len);
    double t = now() - t0;
    size_t heap1 = heap_in_use();
    char measured[32], evidence[200], a[32], b[32];
    snprintf(measured, sizeof measured, "%.2f s", t);
    snprintf(evidence, sizeof evidence, "%s steps, %.1f MB of JSON: %.1f MB/s, %s steps/s", grouped(a, sizeof a, steps),
             (double)len / 1e6, (double)len / 1e6 / t, grouped(b, sizeof b, (uint64_t)(steps / t)));
    row("9", "scenario_load, 10^6 steps", measured, "-", "-", evidence);
    double per = heap1 > heap0 ? (double)(heap1 - heap0) / steps : 0;
    snprintf(measured, sizeof measured, heap1 ? "%.1f B" : "n/a", per);
    snprintf(evidence, sizeof evidence, "heap in use after loading (mallinfo2), per step; sizeof(struct scn_step) = %zu",
             sizeof(struct scn_step));
    row("9a", "  memory per step once loaded", measured, "< 100 B", heap1 ? met(per < 100) : "?", evidence);

    /* parse and replay together, as mmsim run -q does */
    static const enum replay_check modes[] = {REPLAY_CHECK_TOUCHED, REPLAY_CHECK_END};
    static const char *const nums[] = {"9b", "9c"};
    for (size_t k = 0; k < 2; k++) {
        t0 = now();
        struct scenario *s2 = k ? load(text, len) : sc;
        struct replay r;
        start(&r, s2, modes[k]);
        struct replay_result res;
        while (replay_step(&r, &res))
            ;
        double total = now() - t0 + (k ? 0 : t);
        char figure[64];
        snprintf(figure, sizeof figure, "  load + replay 10^6 steps, --check=%s", replay_check_name(modes[k]));
        snprintf(measured, sizeof measured, "%.2f s", total);
        uint32_t expects = 0;
        for (uint32_t i = 0; i < s2->nsteps; i++)
            expects += s2->steps[i].op == OP_EXPECT;
        snprintf(evidence, sizeof evidence, "%u steps run, %u of %u expect steps failed%s%.120s", r.next,
                 r.failed_steps, expects, r.broken ? "; BROKEN: " : "", r.broken ? r.broken_msg : "");
        row(nums[k], figure, measured, "< 2 s", met(total < 2 && !r.broken), evidence);
        expect(expects > 0, "the scenario has no expect steps");
        if (r.broken || r.next != steps || r.failed_steps)
            problems++;
        replay_end(&r);
        if (k)
            scenario_free(s2);
    }
    scenario_free(sc);
    free(text);
}

static void bench_replay(void)
{
    static const uint32_t sizes[] = {256, 65536, 1048576};
    static const enum replay_check modes[] = {REPLAY_CHECK_TOUCHED, REPLAY_CHECK_FULL, REPLAY_CHECK_END};
    double base[REPLAY_CHECK_COUNT] = {0};
    char num[8], figure[64], measured[32], evidence[200];
    unsigned k = 0;
    size_t len;
    char *texts[3];
    struct scenario *scs[3];
    for (size_t s = 0; s < 3; s++) {
        texts[s] = bench_scenario(200000, sizes[s], &len);
        scs[s] = load(texts[s], len);
    }
    for (size_t mi = 0; mi < 3; mi++) {
        for (size_t s = 0; s < 3; s++) {
            struct replay r;
            uint32_t ran;
            start(&r, scs[s], modes[mi]);
            double sec = per_step(&r, &ran);
            struct mm_counters c = counters(r.m);
            snprintf(num, sizeof num, "10%c", 'a' + k++);
            snprintf(figure, sizeof figure, "replay per step, %u frames, %s", sizes[s], replay_check_name(modes[mi]));
            snprintf(measured, sizeof measured, sec < 1e-3 ? "%.2f us" : "%.2f ms", sec < 1e-3 ? sec * 1e6 : sec * 1e3);
            if (s == 0)
                base[mi] = sec;
            bool targeted = modes[mi] != REPLAY_CHECK_FULL && s == 2;
            snprintf(evidence, sizeof evidence, "%u steps timed; %.1fx the 256-frame machine's; %llu faults",
                     ran, sec / base[mi], (unsigned long long)c.page_fault_count);
            row(num, figure, measured, targeted ? "<= 2x 256" : "-", targeted ? met(sec <= 2 * base[mi]) : "-",
                evidence);
            replay_end(&r);
        }
    }
    for (size_t s = 0; s < 3; s++) {
        scenario_free(scs[s]);
        free(texts[s]);
    }
}

static void bench_seek(void)
{
    const uint32_t at = 100000;
    size_t len;
    char *text = bench_scenario(at + 1, 4096, &len);
    struct scenario *sc = load(text, len);
    struct replay r;
    start(&r, sc, REPLAY_CHECK_TOUCHED);
    if (!replay_enable_seeking(&r)) {
        printf("\nbench: replay_enable_seeking failed\n");
        exit(1);
    }
    struct replay_result res;
    double t0 = now();
    while (r.next < at && replay_step(&r, &res))
        ;
    double run = now() - t0;
    double back[5], worst = 0;
    for (int i = 0; i < 5; i++) {
        t0 = now();
        bool ok = replay_seek(&r, at - 1) && r.next == at - 1;
        back[i] = now() - t0;
        worst = back[i] > worst ? back[i] : worst;
        expect(ok, "replay_seek back one step failed");
        expect(replay_seek(&r, at) && r.next == at, "replay_seek forward again failed");
    }
    t0 = now();
    bool far = replay_seek(&r, at / 2);
    double half = now() - t0;
    expect(far && r.next == at / 2, "replay_seek to the middle failed");
    char measured[32], evidence[200], a[32];
    double med = median(back, 5);
    snprintf(measured, sizeof measured, "%.2f ms", med * 1e3);
    snprintf(evidence, sizeof evidence, "median of 5, worst %.2f ms; %u copies kept (%.1f MiB), one every %u steps",
             worst * 1e3, r.nsnap, (double)r.snap_bytes / MIB, r.snapshot_every);
    row("11", "seek back one step at step 100,000", measured, "< 50 ms", met(med < 0.05), evidence);
    note("the run to step %s with copies kept: %.2f s; goto 50,000 from there: %.2f ms", grouped(a, sizeof a, at), run,
         half * 1e3);
    replay_end(&r);
    scenario_free(sc);
    free(text);
}

/* Is section `name` asked for? (no argument: every section) */
static bool wanted(int argc, char **argv, const char *name)
{
    if (argc < 2)
        return true;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    double t0 = now();
    setvbuf(stdout, NULL, _IOLBF, 0);
    print_host();
    header();
    if (wanted(argc, argv, "engine")) {
        bench_pfn_size();
        bench_create();
        bench_tlb(true);
        bench_tlb(false);
        bench_demand_zero();
        bench_soft();
        bench_hash();
        bench_hard();
    }
    if (wanted(argc, argv, "trace"))
        bench_trace();
    if (wanted(argc, argv, "scenario")) {
        bench_parse();
        bench_replay();
        bench_seek();
    }
    printf("\ntotal %.1f s; %s\n", now() - t0,
           problems ? "SOME CHECKS FAILED (see above)" : "every counter and invariant check passed");
    return 0;
}
