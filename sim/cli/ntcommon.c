/*
 * ntcommon.c - options, sequences, rows and reports shared by mmsim
 * lists, purge and compare (see ntcommon.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ntcommon.h"
#include "parse.h"

/* ---- Arguments ---- */

static bool allowed_option(const char *s, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(s, allowed[i]) == 0)
            return true;
    return false;
}

static void unknown_option(const char *cmd, const char *s, const char *const *allowed)
{
    char shown[ARGS_SHOW_SIZE];
    const char *names[8];
    size_t n = 0;
    for (; allowed[n] && n < 6; n++)
        names[n] = allowed[n];
    names[n++] = "--help";
    const char *hint = parse_suggest(s, names, n);
    fprintf(stderr, "mmsim %s: unknown option '%s'%s%s%s (options:", cmd, args_show(s, shown, sizeof shown),
            hint ? ", did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", names[i]);
    fprintf(stderr, ")\n");
}

bool ntc_parse_args(const char *cmd, int argc, char **argv, const char *const *allowed, bool operand,
                    struct ntc_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        char one[ARGS_SHOW_SIZE], two[ARGS_SHOW_SIZE];
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            a->help = true;
        } else if (s[0] == '-' && s[1]) {
            if (!allowed_option(s, allowed)) {
                unknown_option(cmd, s, allowed);
                args_usage_hint(cmd);
                return false;
            }
            a->real |= strcmp(s, "--real") == 0;
            a->yes |= strcmp(s, "--yes") == 0;
            a->json |= strcmp(s, "--json") == 0;
        } else if (!operand) {
            fprintf(stderr, "mmsim %s: no operand expected, got '%s'\n", cmd, args_show(s, one, sizeof one));
            args_usage_hint(cmd);
            return false;
        } else if (a->operand) {
            fprintf(stderr, "mmsim %s: one operand expected, got '%s' and '%s'\n", cmd,
                    args_show(a->operand, one, sizeof one), args_show(s, two, sizeof two));
            args_usage_hint(cmd);
            return false;
        } else {
            a->operand = s;
        }
    }
    return true;
}

size_t ntc_sequence(const char *cmd, const char *text, enum nt_op ops[NT_MAX_SEQUENCE])
{
    struct nt_seq_error e;
    size_t n = nt_sequence_parse(text, ops, &e);
    if (n)
        return n;
    char word[ARGS_SHOW_SIZE], whole[ARGS_SHOW_SIZE];
    args_show_n(e.word, e.len, word, sizeof word);
    switch (e.problem) {
    case NT_SEQ_EMPTY:
        fprintf(stderr, "mmsim %s: an empty operation: name one, e.g. 'mmsim %s all'\n", cmd, cmd);
        break;
    case NT_SEQ_EMPTY_NAME:
        fprintf(stderr, "mmsim %s: an empty operation name in '%s' (a comma too many?)\n", cmd,
                args_show(text, whole, sizeof whole));
        break;
    case NT_SEQ_ALL_NOT_ALONE:
        fprintf(stderr, "mmsim %s: 'all' cannot be combined with other operations (it is "
                        "empty-working-sets,flush-modified,purge-standby)\n", cmd);
        break;
    case NT_SEQ_TOO_MANY:
        fprintf(stderr, "mmsim %s: too many operations (at most %u)\n", cmd, NT_MAX_SEQUENCE);
        break;
    case NT_SEQ_UNKNOWN: {
        const char *names[NT_OP_COUNT + 1] = {"all"};
        for (unsigned i = 0; i < NT_OP_COUNT; i++)
            names[i + 1] = nt_op_name((enum nt_op)i);
        char name[ARGS_SHOW_MAX + 1];
        snprintf(name, sizeof name, "%.*s", (int)(e.len < ARGS_SHOW_MAX ? e.len : ARGS_SHOW_MAX), e.word);
        const char *hint = e.len <= ARGS_SHOW_MAX && !memchr(e.word, '\0', e.len)
                               ? parse_suggest(name, names, NT_OP_COUNT + 1)
                               : NULL;
        fprintf(stderr, "mmsim %s: no operation '%s'%s%s%s\n", cmd, word, hint ? ", did you mean '" : "",
                hint ? hint : "", hint ? "'?" : "");
        fprintf(stderr, "operations:");
        for (unsigned i = 0; i < NT_OP_COUNT + 1; i++)
            fprintf(stderr, "%s %s", i ? "," : "", names[i]);
        fprintf(stderr, " (several: separate with commas)\n");
        break;
    }
    }
    args_usage_hint(cmd);
    return 0;
}

int ntc_require_simulated(const char *cmd, const enum nt_op *ops, size_t n, const char *hint)
{
    for (size_t i = 0; i < n; i++)
        if (!nt_op_simulated(ops[i])) {
            fprintf(stderr, "mmsim %s: the simulator cannot run %s: it %s; %s\n", cmd, nt_op_name(ops[i]),
                    ops[i] == NT_OP_EMPTY_FILE_CACHE ? "has no system file cache" : "does not combine pages", hint);
            args_usage_hint(cmd);
            return NTC_EXIT_BAD_ARGS;
        }
    return 0;
}

/* ---- Running a sequence ---- */

/* What was done around step i (0-based) of n that failed. */
static void around(struct nt_backend *b, size_t i, size_t n)
{
    size_t after = n - i - 1;
    if (i && after)
        fprintf(stderr, "The %zu operation(s) before it were done on %s; the %zu after it were not run.\n", i,
                b->description, after);
    else if (i)
        fprintf(stderr, "The %zu operation(s) before it were done on %s.\n", i, b->description);
    else if (after)
        fprintf(stderr, "The %zu operation(s) after it were not run.\n", after);
}

size_t ntc_run_sequence(const char *cmd, struct nt_backend *b, const enum nt_op *ops, size_t n,
                        struct ntc_step *steps, FILE *progress)
{
    for (size_t i = 0; i < n; i++) {
        steps[i].op = ops[i];
        steps[i].pages_combined = 0;
        nt_result_init(&steps[i].r, nt_op_call(ops[i]));
    }
    for (size_t i = 0; i < n; i++) {
        struct ntc_step *s = &steps[i];
        if (!nt_run(b, s->op, &s->pages_combined, &s->r)) {
            char what[96];
            snprintf(what, sizeof what, "step %zu of %zu (%s)", i + 1, n, nt_op_name(s->op));
            ntc_report(cmd, what, b, &s->r, NT_CTX_COMMAND);
            around(b, i, n);
            return i;
        }
        if (progress) {
            fprintf(progress, "%zu. %s: done (%s)\n", i + 1, nt_op_name(s->op), nt_op_summary(s->op));
            if (s->op == NT_OP_COMBINE_PAGES)
                fprintf(progress, "   %" PRIu64 " pages combined\n", s->pages_combined);
        }
    }
    return n;
}

/* ---- Rows ---- */

static uint64_t standby_total(const struct mm_memory_list_info *l)
{
    uint64_t t = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        t += l->page_count_by_priority[p];
    return t;
}

bool ntc_row_value(const struct nt_counts *c, unsigned row, uint64_t *value)
{
    const struct mm_memory_list_info *l = &c->lists;
    uint64_t listed = l->zero_page_count + l->free_page_count + l->modified_page_count +
                      l->modified_no_write_page_count + l->bad_page_count + standby_total(l);
    uint64_t repurposed = 0;
    for (unsigned p = 0; p < MM_STANDBY_PRIORITIES; p++)
        repurposed += l->repurposed_pages_by_priority[p];
    switch (row) {
    case NTC_ROW_ZEROED: *value = l->zero_page_count; break;
    case NTC_ROW_FREE: *value = l->free_page_count; break;
    case NTC_ROW_MODIFIED: *value = l->modified_page_count; break;
    case NTC_ROW_MODIFIED_NO_WRITE: *value = l->modified_no_write_page_count; break;
    case NTC_ROW_BAD: *value = l->bad_page_count; break;
    case NTC_ROW_STANDBY: *value = standby_total(l); break;
    case NTC_ROW_REPURPOSED: *value = repurposed; break;
    case NTC_ROW_MODIFIED_PAGEFILE:
        *value = l->modified_page_count_page_file;
        return c->fields >= NT_MEMLIST_FIELDS;
    case NTC_ROW_ACTIVE: *value = c->total_pages > listed ? c->total_pages - listed : 0; break;
    case NTC_ROW_TOTAL: *value = c->total_pages; break;
    default:
        if (row < NTC_ROW_REPURPOSED)
            *value = l->page_count_by_priority[row - NTC_ROW_STANDBY_0];
        else
            *value = l->repurposed_pages_by_priority[row - NTC_ROW_REPURPOSED_0];
    }
    return true;
}

const char *ntc_row_label(unsigned row, char *buf, size_t size)
{
    static const char *const fixed[NTC_ROW_COUNT] = {
        [NTC_ROW_ZEROED] = "Zeroed", [NTC_ROW_FREE] = "Free", [NTC_ROW_MODIFIED] = "Modified",
        [NTC_ROW_MODIFIED_NO_WRITE] = "Modified no-write", [NTC_ROW_BAD] = "Bad", [NTC_ROW_STANDBY] = "Standby",
        [NTC_ROW_REPURPOSED] = "Repurposed", [NTC_ROW_MODIFIED_PAGEFILE] = "Modified to page file",
        [NTC_ROW_ACTIVE] = "Active (on no list)", [NTC_ROW_TOTAL] = "Total"};
    if (fixed[row])
        return fixed[row];
    snprintf(buf, size, "  priority %u",
             row < NTC_ROW_REPURPOSED ? row - NTC_ROW_STANDBY_0 : row - NTC_ROW_REPURPOSED_0);
    return buf;
}

const char *ntc_row_key(unsigned row, char *buf, size_t size)
{
    static const char *const fixed[NTC_ROW_COUNT] = {
        [NTC_ROW_ZEROED] = "zeroed", [NTC_ROW_FREE] = "free", [NTC_ROW_MODIFIED] = "modified",
        [NTC_ROW_MODIFIED_NO_WRITE] = "modified_no_write", [NTC_ROW_BAD] = "bad", [NTC_ROW_STANDBY] = "standby",
        [NTC_ROW_REPURPOSED] = "repurposed", [NTC_ROW_MODIFIED_PAGEFILE] = "modified_page_file",
        [NTC_ROW_ACTIVE] = "active", [NTC_ROW_TOTAL] = "total"};
    if (fixed[row])
        return fixed[row];
    if (row < NTC_ROW_REPURPOSED)
        snprintf(buf, size, "standby_%u", row - NTC_ROW_STANDBY_0);
    else
        snprintf(buf, size, "repurposed_%u", row - NTC_ROW_REPURPOSED_0);
    return buf;
}

void ntc_active_note(FILE *out, bool real)
{
    if (real)
        fprintf(out, "Active (on no list): the total less every list, pages in use: working sets, nonpaged pool,\n"
                     "drivers, page tables and other kernel memory.\n");
    else
        fprintf(out, "Active (on no list): the total less every list, pages in use: the working sets, page\n"
                     "directories and page tables included.\n");
}

/* "-" notes for counts a query did not report. */
static void unreported_note(FILE *out, const struct nt_counts *c)
{
    if (c->fields < NT_MEMLIST_FIELDS)
        fprintf(out, "-: not reported by this Windows (ModifiedPageCountPageFile exists from Windows 8 on).\n");
}

/* ---- Tables and JSON ---- */

static double mib(uint64_t pages)
{
    return (double)pages / 256.0;
}

void ntc_print_lists(FILE *out, const struct nt_counts *c)
{
    char buf[32];
    fprintf(out, "%-24s %12s %12s\n", "list", "pages", "MiB");
    for (unsigned r = 0; r < NTC_ROW_COUNT; r++) {
        uint64_t v;
        if (ntc_row_value(c, r, &v))
            fprintf(out, "%-24s %12" PRIu64 " %12.1f\n", ntc_row_label(r, buf, sizeof buf), v, mib(v));
        else
            fprintf(out, "%-24s %12s %12s\n", ntc_row_label(r, buf, sizeof buf), "-", "-");
    }
    unreported_note(out, c);
}

void ntc_print_before_after(FILE *out, const struct nt_counts *before, const struct nt_counts *after)
{
    char buf[32];
    fprintf(out, "%-24s %12s %12s %12s\n", "list (pages)", "before", "after", "delta");
    for (unsigned r = 0; r < NTC_ROW_COUNT; r++) {
        uint64_t b, a;
        bool kb = ntc_row_value(before, r, &b), ka = ntc_row_value(after, r, &a);
        fprintf(out, "%-24s", ntc_row_label(r, buf, sizeof buf));
        if (kb)
            fprintf(out, " %12" PRIu64, b);
        else
            fprintf(out, " %12s", "-");
        if (ka)
            fprintf(out, " %12" PRIu64, a);
        else
            fprintf(out, " %12s", "-");
        if (ka && kb)
            fprintf(out, " %+12" PRId64 "\n", (int64_t)(a - b));
        else
            fprintf(out, " %12s\n", "-");
    }
    unreported_note(out, before);
}

cJSON *ntc_counts_json(const struct nt_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    char key[32];
    for (unsigned r = 0; o && r < NTC_ROW_COUNT; r++) {
        uint64_t v;
        if (ntc_row_value(c, r, &v))
            cJSON_AddNumberToObject(o, ntc_row_key(r, key, sizeof key), (double)v);
        else
            cJSON_AddNullToObject(o, ntc_row_key(r, key, sizeof key));
    }
    return o;
}

/* ---- Reports ---- */

/* "STATUS_PRIVILEGE_NOT_HELD (0xC0000061; Win32 error 1314,
 * ERROR_PRIVILEGE_NOT_HELD)" into buf. */
static const char *status_text(struct nt_backend *b, mm_status s, char *buf, size_t size)
{
    const char *name = nt_status_name(s);
    int k = snprintf(buf, size, "%s (0x%08" PRIX32, name ? name : "an NTSTATUS mmsim does not know", s);
    uint32_t win32 = b->win32_error ? b->win32_error(b, s) : 0;
    const char *wname = win32 ? nt_win32_error_name(win32) : NULL;
    if (win32 && k > 0 && (size_t)k < size)
        k += snprintf(buf + k, size - (size_t)k, "; Win32 error %" PRIu32 "%s%s", win32, wname ? ", " : "",
                      wname ? wname : "");
    if (k > 0 && (size_t)k < size)
        snprintf(buf + k, size - (size_t)k, ")");
    return buf;
}

/* What to do after a result that is not NT_DONE. */
static const char *advice(struct nt_backend *b, const struct nt_result *r, enum nt_context ctx)
{
    switch (r->outcome) {
    case NT_FAILED:
        return nt_status_advice(r->status, ctx, b->wine);
    case NT_NO_PRIVILEGE:
        return nt_priv_decide(&r->priv) == NT_PRIV_NOT_HELD
                   ? "Run mmsim from an elevated prompt (right-click the terminal, Run as administrator); this "
                     "step changed nothing."
                   : "This step changed nothing.";
    case NT_NOT_SENT:
        if (b->wine)
            return nt_status_advice(NT_STATUS_NOT_IMPLEMENTED, ctx, true);
        return b->real ? "This step changed nothing." : "This step changed nothing; it runs only on Windows.";
    case NT_BAD_REPLY:
        return "No counts were read; please report the Windows version with this message.";
    case NT_DONE:
        break;
    }
    return "";
}

void ntc_report(const char *cmd, const char *what, struct nt_backend *b, const struct nt_result *r,
                enum nt_context ctx)
{
    char status[160], priv[300];
    switch (r->outcome) {
    case NT_DONE:
        return;
    case NT_FAILED:
        fprintf(stderr, "mmsim %s: %s: %s on %s returned %s.\n", cmd, what, r->call, b->description,
                status_text(b, r->status, status, sizeof status));
        if (r->privilege && !r->privilege_enabled)
            fprintf(stderr, "(Before the call, %s.)\n", nt_priv_explain(&r->priv, r->privilege, priv, sizeof priv));
        break;
    case NT_NO_PRIVILEGE:
        fprintf(stderr, "mmsim %s: %s was not sent to %s: %s.\n", cmd, what, b->description,
                nt_priv_explain(&r->priv, r->privilege, priv, sizeof priv));
        break;
    case NT_NOT_SENT:
        fprintf(stderr, "mmsim %s: %s was not sent to %s: %s.\n", cmd, what, b->description, r->why);
        break;
    case NT_BAD_REPLY:
        fprintf(stderr, "mmsim %s: %s: %s on %s succeeded, but %s.\n", cmd, what, r->call, b->description, r->why);
        break;
    }
    fprintf(stderr, "%s\n", advice(b, r, ctx));
}

static const char *outcome_name(enum nt_outcome o)
{
    switch (o) {
    case NT_DONE: return "done";
    case NT_FAILED: return "failed";
    case NT_NO_PRIVILEGE: return "no_privilege";
    case NT_NOT_SENT: return "not_sent";
    case NT_BAD_REPLY: return "bad_reply";
    }
    return "unknown";
}

/* The result's fields into object o. */
static void result_fields(cJSON *o, struct nt_backend *b, const struct nt_result *r, enum nt_context ctx)
{
    char buf[300];
    cJSON_AddStringToObject(o, "outcome", outcome_name(r->outcome));
    cJSON_AddStringToObject(o, "call", r->call ? r->call : "");
    if (r->outcome == NT_DONE || r->outcome == NT_FAILED || r->outcome == NT_BAD_REPLY) {
        const char *name = nt_status_name(r->status);
        cJSON_AddItemToObject(o, "status", name ? cJSON_CreateString(name) : cJSON_CreateNull());
        snprintf(buf, sizeof buf, "0x%08" PRIX32, r->status);
        cJSON_AddStringToObject(o, "ntstatus", buf);
        uint32_t win32 = b->win32_error && r->outcome == NT_FAILED ? b->win32_error(b, r->status) : 0;
        if (win32)
            cJSON_AddNumberToObject(o, "win32_error", win32);
    }
    if (r->privilege) {
        cJSON_AddStringToObject(o, "privilege", r->privilege);
        cJSON_AddBoolToObject(o, "privilege_enabled", r->privilege_enabled);
        if (!r->privilege_enabled)
            cJSON_AddStringToObject(o, "privilege_error", nt_priv_explain(&r->priv, r->privilege, buf, sizeof buf));
    }
    if (r->outcome == NT_NOT_SENT || r->outcome == NT_BAD_REPLY)
        cJSON_AddStringToObject(o, "why", r->why);
    if (r->outcome != NT_DONE)
        cJSON_AddStringToObject(o, "advice", advice(b, r, ctx));
}

cJSON *ntc_result_json(struct nt_backend *b, const struct nt_result *r, enum nt_context ctx)
{
    cJSON *o = cJSON_CreateObject();
    if (o)
        result_fields(o, b, r, ctx);
    return o;
}

cJSON *ntc_steps_json(struct nt_backend *b, const struct ntc_step *steps, size_t n, size_t reached)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "op", nt_op_name(steps[i].op));
        if (i < reached)
            result_fields(o, b, &steps[i].r, NT_CTX_COMMAND);
        else
            cJSON_AddStringToObject(o, "outcome", "not_run");
        if (i < reached && steps[i].op == NT_OP_COMBINE_PAGES && steps[i].r.outcome == NT_DONE)
            cJSON_AddNumberToObject(o, "pages_combined", (double)steps[i].pages_combined);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

bool ntc_print_json(FILE *out, const char *cmd, cJSON *root)
{
    char *s = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!s) {
        fprintf(stderr, "mmsim %s: out of memory writing the JSON\n", cmd);
        return false;
    }
    fprintf(out, "%s\n", s);
    cJSON_free(s);
    return true;
}
