/* report.c - summaries, per-reference lines and miss curves. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "utf8.h"
#include "svg.h"

#define SHOW_PAGES 16u   /* resident pages listed per reference line */

static double percent(uint64_t part, uint64_t whole) { return whole ? 100.0 * (double)part / (double)whole : 0; }

/* A file name as the text output shows it: printable ASCII and
 * well-formed UTF-8 (from U+00A0) as they are, every other byte (C0, DEL,
 * a C1 control's two bytes, a stray or truncated sequence) as \xHH, so
 * that nothing reaches the terminal but text; cut to fit, never inside a
 * character or an escape. */
static const char *shown(const char *s, char *buf, size_t size)
{
    size_t o = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t u = utf8_char((const unsigned char *)s + i, n - i);
        unsigned char c = (unsigned char)s[i];
        bool plain = u || (c >= 0x20 && c < 0x7F);
        size_t len = u ? u : 1, need = plain ? len : 4;
        if (o + need + 1 > size)
            break;
        if (plain)
            memcpy(buf + o, s + i, len);
        else
            snprintf(buf + o, size - o, "\\x%02X", c);
        o += need;
        i += len;
    }
    buf[o] = '\0';
    return buf;
}

/* Whether the traces are not all of one format. */
static bool mixed_formats(const struct trace_set *set)
{
    for (uint32_t i = 1; i < set->count; i++)
        if (set->file[i].reader.format != set->file[0].reader.format)
            return true;
    return false;
}

/* The traces' names, and each one's format after it when they differ
 * ("a.txt (pages), b.lk (lackey)"). */
static const char *trace_names(const struct trace_set *set, bool formats, char *buf, size_t size)
{
    size_t n = 0;
    char one[256];
    buf[0] = '\0';
    for (uint32_t i = 0; i < set->count && n + 1 < size; i++) {   /* a long path keeps its end, the file's name */
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              shown(set->file[i].reader.shown, one, sizeof one));
        if (formats && n + 1 < size)
            n += (size_t)snprintf(buf + n, size - n, " (%s)", trace_format_name(set->file[i].reader.format));
    }
    return buf;
}

/* "s" but for one */
static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* A process's lines, or (summed) the lines of all of them: their peaks
 * came at different times, so the sum is said as one. */
static void process_lines(FILE *out, const struct trace_process_result *p, bool summed)
{
    fprintf(out, "  references       %" PRIu64 " (%" PRIu64 " page reference%s, %u distinct page%s)\n", p->records,
            p->touches, plural(p->touches), p->pages, plural(p->pages));
    fprintf(out, "  hits             %" PRIu64 " (%.2f%%)\n", p->hits, percent(p->hits, p->touches));
    fprintf(out, "  misses           %" PRIu64 ": demand-zero %" PRIu64 ", transition %" PRIu64
                 ", hard (paging file) %" PRIu64 "\n",
            p->misses, p->fault[MM_FAULT_DEMAND_ZERO], p->fault[MM_FAULT_TRANSITION], p->fault[MM_FAULT_PAGE_FILE]);
    fprintf(out, "  evictions        %" PRIu64 " chosen by the policy", p->evictions);
    if (p->trimmed)
        fprintf(out, "; %" PRIu64 " page%s trimmed by the working-set manager or a memory shortage", p->trimmed,
                plural(p->trimmed));
    fprintf(out, "\n");
    fprintf(out, "  page tables      %u resident; faults on them: new %" PRIu64 ", transition %" PRIu64 ", hard %" PRIu64
                 "\n",
            p->ws.page_tables, p->table_fault[MM_FAULT_PAGE_TABLE], p->table_fault[MM_FAULT_TRANSITION],
            p->table_fault[MM_FAULT_PAGE_FILE]);
    fprintf(out, "  working set      %u data page%s, %u page table%s, %u locked page%s at the end; %s %u\n",
            p->ws.data, plural(p->ws.data), p->ws.page_tables, plural(p->ws.page_tables), p->ws.locked,
            plural(p->ws.locked), summed ? "the peaks add up to" : "peak", p->peak);
}

void report_summary(FILE *out, const struct trace_set *set, const struct trace_result *res)
{
    char names[512];
    if (mixed_formats(set))
        fprintf(out, "trace %s, %u process%s\n", trace_names(set, true, names, sizeof names), res->processes,
                res->processes == 1 ? "" : "es");
    else
        fprintf(out, "trace %s (%s), %u process%s\n", trace_names(set, false, names, sizeof names),
                trace_format_name(set->file[0].reader.format), res->processes, res->processes == 1 ? "" : "es");
    fprintf(out, "  policy %s; ", mm_policy_name(res->policy));
    if (res->cache)
        fprintf(out, "cache %u data page%s per process", res->cache, plural(res->cache));
    else
        fprintf(out, "no cache size: the machine's working-set limits");
    fprintf(out, "; %u frames (%.1f MiB); TLB %u entr%s\n", res->frames, res->frames / 256.0, res->tlb_entries,
            res->tlb_entries == 1 ? "y" : "ies");
    if (res->tick == 1)
        fprintf(out, "  clock tick at every page reference (%" PRIu64 " tick%s)", res->ticks, plural(res->ticks));
    else if (res->tick)
        fprintf(out, "  clock tick every %u page references (%" PRIu64 " tick%s)", res->tick, res->ticks,
                plural(res->ticks));
    else
        fprintf(out, "  the clock never ticks (--tick 0)");
    if (res->processes > 1)
        fprintf(out, "; processes take turns of %u reference%s", res->quantum, plural(res->quantum));
    fprintf(out, "\n\n");
    if (res->processes > 1) {
        for (uint32_t i = 0; i < res->processes; i++) {
            char one[TRACE_NAME_MAX * 4 + 8];
            fprintf(out, "process %s\n", shown(res->proc[i].name, one, sizeof one));
            process_lines(out, &res->proc[i], false);
        }
        fprintf(out, "all processes\n");
    }
    process_lines(out, &res->total, res->processes > 1);
    fprintf(out, "  paging file      %" PRIu64 " page%s written, %" PRIu64 " read\n", res->pages_written,
            plural(res->pages_written), res->pages_read);
    /* the processor looks a page up, and after a page fault looks it up
       again: hits + misses = page references + misses */
    fprintf(out, "  TLB              %" PRIu64 " hit%s, %" PRIu64 " miss%s: a lookup per page reference and one more "
                 "after each miss\n",
            res->tlb_hits, plural(res->tlb_hits), res->tlb_misses, res->tlb_misses == 1 ? "" : "es");
    fprintf(out, "\nFINALSTATS hits %" PRIu64 "   misses %" PRIu64 "   hitrate %.2f\n", res->total.hits,
            res->total.misses, percent(res->total.hits, res->total.touches));
}

/* A JSON string of a file or process name, valid JSON whatever its
 * bytes: well-formed UTF-8 as it is, quotes and backslashes escaped,
 * control characters (C0, DEL, C1) as \u00XX, and a byte that is no
 * part of a well-formed character as U+FFFD, the replacement character. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t u = utf8_char((const unsigned char *)s + i, n - i);
        if (u) {
            fwrite(s + i, 1, u, out);
            i += u;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F) {
            fprintf(out, "\\u%04x", (unsigned char)s[i + 1]);   /* a C1 control */
            i += 2;
        } else {
            if (c == '"' || c == '\\')
                fprintf(out, "\\%c", c);
            else if (c < 0x20 || c == 0x7F)
                fprintf(out, "\\u%04x", c);
            else if (c < 0x80)
                fputc(c, out);
            else
                fputs("\\ufffd", out);
            i++;
        }
    }
    fputc('"', out);
}

static void process_json(FILE *out, const struct trace_process_result *p)
{
    fprintf(out, "{\"name\":");
    json_string(out, p->name);
    fprintf(out,
            ",\"references\":%" PRIu64 ",\"page_references\":%" PRIu64 ",\"distinct_pages\":%u,"
            "\"hits\":%" PRIu64 ",\"misses\":%" PRIu64 ",\"hit_rate\":%.4f,",
            p->records, p->touches, p->pages, p->hits, p->misses, percent(p->hits, p->touches));
    fprintf(out, "\"misses_by_kind\":{\"demand_zero\":%" PRIu64 ",\"transition\":%" PRIu64 ",\"page_file\":%" PRIu64
                 "},",
            p->fault[MM_FAULT_DEMAND_ZERO], p->fault[MM_FAULT_TRANSITION], p->fault[MM_FAULT_PAGE_FILE]);
    fprintf(out, "\"page_table_faults\":{\"new\":%" PRIu64 ",\"transition\":%" PRIu64 ",\"page_file\":%" PRIu64 "},",
            p->table_fault[MM_FAULT_PAGE_TABLE], p->table_fault[MM_FAULT_TRANSITION],
            p->table_fault[MM_FAULT_PAGE_FILE]);
    fprintf(out, "\"evictions\":%" PRIu64 ",\"trimmed\":%" PRIu64 ",", p->evictions, p->trimmed);
    fprintf(out, "\"working_set\":{\"data_pages\":%u,\"page_tables\":%u,\"locked\":%u,\"peak\":%u}}", p->ws.data,
            p->ws.page_tables, p->ws.locked, p->peak);
}

void report_summary_json(FILE *out, const struct trace_set *set, const struct trace_result *res)
{
    fprintf(out, "{\"traces\":[");
    for (uint32_t i = 0; i < set->count; i++) {
        fprintf(out, "%s", i ? "," : "");
        json_string(out, set->file[i].reader.name);
    }
    fprintf(out, "],\"formats\":[");
    for (uint32_t i = 0; i < set->count; i++)
        fprintf(out, "%s\"%s\"", i ? "," : "", trace_format_name(set->file[i].reader.format));
    fprintf(out, "],\"format\":\"%s\",\"policy\":\"%s\",\"cache\":%u,\"frames\":%u,\"tlb_entries\":%u,"
                 "\"tick\":%u,\"quantum\":%u,\"ticks\":%" PRIu64 ",",
            mixed_formats(set) ? "mixed" : trace_format_name(set->file[0].reader.format), mm_policy_name(res->policy),
            res->cache, res->frames, res->tlb_entries, res->tick, res->quantum, res->ticks);
    fprintf(out, "\"pages_written\":%" PRIu64 ",\"pages_read\":%" PRIu64 ",\"tlb_hits\":%" PRIu64
                 ",\"tlb_misses\":%" PRIu64 ",\"total\":",
            res->pages_written, res->pages_read, res->tlb_hits, res->tlb_misses);
    process_json(out, &res->total);
    fprintf(out, ",\"processes\":[");
    for (uint32_t i = 0; i < res->processes; i++) {
        fprintf(out, "%s", i ? "," : "");
        process_json(out, &res->proc[i]);
    }
    fprintf(out, "]}\n");
}

/* ---- Per reference ---- */

/* A page as the trace names it: its number (pages format) or address. */
static void page_name(char *buf, size_t size, const struct trace_set *set, uint32_t file, mm_va va)
{
    uint64_t a = trace_address(set, file, va);
    if (set->file[file].reader.format == TRACE_PAGES)
        snprintf(buf, size, "%" PRIu64, a >> 12);
    else
        snprintf(buf, size, "0x%" PRIx64, a >> 12);
}

/* What clock and aging read of a resident page: its use bit (the PTE's
 * Accessed bit) and its working-set entry's age (0 to 3). */
struct page_bits {
    bool use;
    uint32_t age;
};

static struct page_bits bits_of(const struct mm_machine *m, uint32_t pid, mm_va va)
{
    struct page_bits b = {false, 0};
    mm_ws_page_bits(m, pid, va, &b.use, &b.age);
    return b;
}

static bool shows_bits(enum mm_policy p) { return p == MM_POLICY_CLOCK || p == MM_POLICY_AGING; }

static void ends(enum mm_policy p, const char **left, const char **right)
{
    switch (p) {
    /* paging-policy.py's spelling and its space, for lines diff can compare */
    case MM_POLICY_FIFO: *left = "FirstIn"; *right = "Lastin "; break;
    case MM_POLICY_LRU: *left = "LRU"; *right = "MRU"; break;
    case MM_POLICY_OPT: *left = "Farthest"; *right = "Soonest"; break;
    default: *left = "Hand"; *right = "Behind"; break;
    }
}

static const char *access_name(enum trace_access a)
{
    static const char *const names[] = {"read", "write", "modify", "fetch"};
    return names[a];
}

static const char *kind_name(enum mm_fault_kind k)
{
    switch (k) {
    case MM_FAULT_NONE: return "none";
    case MM_FAULT_DEMAND_ZERO: return "demand-zero";
    case MM_FAULT_TRANSITION: return "transition";
    case MM_FAULT_PAGE_FILE: return "page-file";
    case MM_FAULT_PAGE_TABLE: return "new";
    default: return mm_fault_kind_name(k);
    }
}

static const char *list_name(enum mm_list l)
{
    switch (l) {
    case StandbyPageList: return "Standby";
    case ModifiedPageList: return "Modified";
    case ModifiedNoWritePageList: return "ModifiedNoWrite";
    case FreePageList: return "Free";
    default: return "?";
    }
}

static void step_json(FILE *out, const struct mm_machine *m, const struct trace_set *set, const struct trace_step *s,
                      enum mm_policy policy)
{
    fprintf(out, "{\"policy\":\"%s\",\"process\":", mm_policy_name(policy));
    json_string(out, set->file[s->file].name);
    fprintf(out, ",\"ref\":%" PRIu64 ",\"line\":%" PRIu64 ",\"addr\":%" PRIu64 ",\"size\":%u,\"access\":\"%s\",\"pages\":[",
            s->record, s->line, s->ref.addr, s->ref.size, access_name(s->ref.access));
    for (uint32_t k = 0; k < s->pages; k++)
        fprintf(out, "%s{\"page\":%" PRIu64 ",\"va\":%u,\"hit\":%s,\"fault\":\"%s\",\"table_fault\":\"%s\","
                     "\"tlb_hit\":%s,\"frame\":%u}",
                k ? "," : "", trace_address(set, s->file, s->va[k]) >> 12, s->va[k],
                s->fault[k] == MM_FAULT_NONE ? "true" : "false", kind_name(s->fault[k]), kind_name(s->table_fault[k]),
                s->tlb_hit[k] ? "true" : "false", s->frame[k]);
    fprintf(out, "],\"replaced\":[");
    for (uint32_t v = 0; v < s->victims; v++)
        fprintf(out, "%s{\"page\":%" PRIu64 ",\"va\":%u,\"to\":\"%s\"}", v ? "," : "",
                trace_address(set, s->file, s->victim[v]) >> 12, s->victim[v], list_name(s->victim_to[v]));
    /* the resident pages in the policy's order, as -c's line lists them */
    mm_va order[SHOW_PAGES];
    uint32_t total = mm_ws_policy_order(m, s->pid, order, SHOW_PAGES), n = total < SHOW_PAGES ? total : SHOW_PAGES;
    fprintf(out, "],\"resident\":[");
    for (uint32_t i = 0; i < n; i++)
        fprintf(out, "%s%" PRIu64, i ? "," : "", trace_address(set, s->file, order[i]) >> 12);
    fprintf(out, "],\"resident_count\":%u", total);
    if (shows_bits(policy)) {
        struct page_bits b[SHOW_PAGES];
        for (uint32_t i = 0; i < n; i++)
            b[i] = bits_of(m, s->pid, order[i]);
        fprintf(out, ",\"use\":[");
        for (uint32_t i = 0; i < n; i++)
            fprintf(out, "%s%d", i ? "," : "", b[i].use);
        if (policy == MM_POLICY_AGING) {
            fprintf(out, "],\"age\":[");
            for (uint32_t i = 0; i < n; i++)
                fprintf(out, "%s%u", i ? "," : "", b[i].age);
        }
        fprintf(out, "]");
    }
    fprintf(out, ",\"hits\":%" PRIu64 ",\"misses\":%" PRIu64 "}\n", s->hits, s->misses);
}

static void step_detail(FILE *out, const struct trace_step *s)
{
    for (uint32_t k = 0; k < s->pages; k++) {
        fprintf(out, "    va 0x%08X %s: TLB %s", s->va[k], access_name(s->ref.access), s->tlb_hit[k] ? "hit" : "miss");
        if (s->table_fault[k] != MM_FAULT_NONE)
            fprintf(out, ", page-table fault (%s)", kind_name(s->table_fault[k]));
        if (s->fault[k] != MM_FAULT_NONE)
            fprintf(out, ", %s fault", kind_name(s->fault[k]));
        fprintf(out, ", frame 0x%X\n", s->frame[k]);
    }
    for (uint32_t v = 0; v < s->victims; v++)
        fprintf(out, "    replaced 0x%08X -> %s\n", s->victim[v], list_name(s->victim_to[v]));
    if (s->written)
        fprintf(out, "    the modified page writer wrote %u page%s\n", s->written, s->written == 1 ? "" : "s");
}

void report_step(FILE *out, const struct mm_machine *m, const struct trace_set *set, const struct trace_step *s,
                 enum mm_policy policy, bool verbose, bool json)
{
    if (json) {
        step_json(out, m, set, s, policy);
        return;
    }
    char name[32];
    if (set->count > 1) {
        char one[TRACE_NAME_MAX * 4 + 8];
        fprintf(out, "[%s] ", shown(set->file[s->file].name, one, sizeof one));
    }
    if (set->file[s->file].reader.format == TRACE_PAGES)
        fprintf(out, "Access: %" PRIu64, s->ref.addr >> 12);
    else
        fprintf(out, "Access: 0x%" PRIx64 " %c", s->ref.addr, "RWMI"[s->ref.access]);
    bool miss = false;
    for (uint32_t k = 0; k < s->pages; k++)
        miss |= s->fault[k] != MM_FAULT_NONE;
    const char *left, *right;
    ends(policy, &left, &right);
    /* the resident pages as Python prints a list, right-aligned in 12
       columns as paging-policy.py's "%12s" does */
    char list[SHOW_PAGES * 40 + 32] = "[";
    size_t len = 1;
    mm_va shown[SHOW_PAGES];
    uint32_t total = mm_ws_policy_order(m, s->pid, shown, SHOW_PAGES);
    for (uint32_t i = 0; i < total && i < SHOW_PAGES; i++) {
        page_name(name, sizeof name, set, s->file, shown[i]);
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", name);
        if (shows_bits(policy)) {   /* clock's use bit; aging's too, and the age */
            struct page_bits b = bits_of(m, s->pid, shown[i]);
            len += (size_t)snprintf(list + len, sizeof list - len, ":%d", b.use);
            if (policy == MM_POLICY_AGING)
                len += (size_t)snprintf(list + len, sizeof list - len, ":%u", b.age);
        }
    }
    if (total > SHOW_PAGES)
        len += (size_t)snprintf(list + len, sizeof list - len, ", ... %u more", total - SHOW_PAGES);
    snprintf(list + len, sizeof list - len, "]");
    fprintf(out, "  %s %s -> %12s <- %s Replaced:", miss ? "MISS" : "HIT ", left, list, right);
    if (s->victims == 0)
        fprintf(out, "-");
    for (uint32_t v = 0; v < s->victims; v++) {
        page_name(name, sizeof name, set, s->file, s->victim[v]);
        fprintf(out, "%s%s", v ? "," : "", name);
    }
    fprintf(out, " [Hits:%" PRIu64 " Misses:%" PRIu64 "]\n", s->hits, s->misses);
    if (verbose)
        step_detail(out, s);
}

/* ---- Sweeps ---- */

void report_sweep(FILE *out, const struct trace_set *set, const struct trace_sweep *sw)
{
    char names[512];
    fprintf(out, "miss curve of %s: %" PRIu64 " page reference%s\n\n", trace_names(set, false, names, sizeof names),
            sw->touches, plural(sw->touches));
    /* the policy's name over its two columns: the misses and the hit rate */
    fprintf(out, "%7s", "");
    for (uint32_t p = 0; p < sw->policies; p++)
        fprintf(out, "  %10s%s", mm_policy_name(sw->policy[p]), p + 1 < sw->policies ? "         " : "");
    fprintf(out, "\n%7s", "cache");
    for (uint32_t p = 0; p < sw->policies; p++)
        fprintf(out, "  %10s %8s", "misses", "hit rate");
    fprintf(out, "\n");
    for (uint32_t i = 0; i < sw->sizes; i++) {
        fprintf(out, "%7u", sw->cache[i]);
        for (uint32_t p = 0; p < sw->policies; p++) {
            uint64_t miss = sw->misses[p * sw->sizes + i];
            fprintf(out, "  %10" PRIu64 " %7.2f%%", miss, percent(sw->touches - miss, sw->touches));
        }
        fprintf(out, "\n");
    }
    for (uint32_t p = 0; p < sw->policies; p++) {
        uint32_t shown = 0;
        for (uint32_t i = 1; i < sw->sizes; i++) {
            uint64_t before = sw->misses[p * sw->sizes + i - 1], after = sw->misses[p * sw->sizes + i];
            if (after <= before)
                continue;
            if (shown++ == 0)
                fprintf(out, "\nBelady's anomaly (%s): more memory, more misses:", mm_policy_name(sw->policy[p]));
            if (shown <= 5)
                fprintf(out, "%s %" PRIu64 " miss%s with %u page%s, %" PRIu64 " with %u", shown > 1 ? ";" : "", before,
                        before == 1 ? "" : "es", sw->cache[i - 1], sw->cache[i - 1] == 1 ? "" : "s", after,
                        sw->cache[i]);
        }
        if (shown > 5)
            fprintf(out, "; %u times in all", shown);
        if (shown)
            fprintf(out, "\n");
    }
}

void report_sweep_json(FILE *out, const struct trace_set *set, const struct trace_sweep *sw, const char *plot)
{
    fprintf(out, "{\"traces\":[");
    for (uint32_t i = 0; i < set->count; i++) {
        fprintf(out, "%s", i ? "," : "");
        json_string(out, set->file[i].reader.name);
    }
    fprintf(out, "],\"page_references\":%" PRIu64 ",\"cache\":[", sw->touches);
    for (uint32_t i = 0; i < sw->sizes; i++)
        fprintf(out, "%s%u", i ? "," : "", sw->cache[i]);
    fprintf(out, "],\"misses\":{");
    for (uint32_t p = 0; p < sw->policies; p++) {
        fprintf(out, "%s\"%s\":[", p ? "," : "", mm_policy_name(sw->policy[p]));
        for (uint32_t i = 0; i < sw->sizes; i++)
            fprintf(out, "%s%" PRIu64, i ? "," : "", sw->misses[p * sw->sizes + i]);
        fprintf(out, "]");
    }
    fprintf(out, "},\"plot\":");
    json_string(out, plot);
    fprintf(out, "}\n");
}

bool report_sweep_svg(FILE *out, const struct trace_set *set, const struct trace_sweep *sw)
{
    double *x = malloc(sw->sizes * sizeof *x);
    double *y = malloc((size_t)sw->sizes * sw->policies * sizeof *y);
    struct svg_series *series = malloc(sw->policies * sizeof *series);
    if (!x || !y || !series)
        mm_host_exhausted(__func__, "the points of the plot");
    for (uint32_t i = 0; i < sw->sizes; i++)
        x[i] = sw->cache[i];
    for (uint32_t p = 0; p < sw->policies; p++) {
        for (uint32_t i = 0; i < sw->sizes; i++)
            y[p * sw->sizes + i] = (double)sw->misses[p * sw->sizes + i];
        series[p].name = mm_policy_name(sw->policy[p]);
        series[p].y = y + (size_t)p * sw->sizes;
    }
    char names[300], title[400];
    snprintf(title, sizeof title, "Misses by cache size: %s", trace_names(set, false, names, sizeof names));
    bool ok = svg_plot(out, title, "cache size (data pages)", "misses", x, sw->sizes, series, sw->policies);
    free(x);
    free(y);
    free(series);
    return ok;
}
