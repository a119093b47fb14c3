#!/usr/bin/python3
"""bench_trace.py - the whole-process time of `mmsim trace` on a million references.

    /usr/bin/python3 tests/bench_trace.py [--mmsim build/mmsim] [--runs N]
        [--refs N] [--trace FILE] [--write FILE] [--paging-policy PATH]

Writes a trace of page numbers, one a line, with a program's locality (the
same generator as `make bench` row 8, its first --refs references: 98 in
100 go to a window of 700 pages that slides one page every 1,000
references over 8,192 pages, the rest anywhere), then runs

    mmsim trace -p fifo -C 1000 TRACE     and     mmsim trace -p lru -C 1000 TRACE

--runs times each (10 by default) and prints the median, the least and the
most of the process's CPU time (user + system, from wait4: the whole
process, from exec to exit, and not the time others' work takes on a
shared machine). The first row is `mmsim --version`, the cost of starting
the program at all on this machine.

With --paging-policy PATH (OSTEP's paging-policy.py; it is not part of
mmsim), it is timed once per policy on the same trace with `-c -N`, its
FINALSTATS line is compared with mmsim's, and the ratio is printed. The
target of issue 11 is 200 times.

--formats pages,rw,lackey also writes the same page references as `rw`
lines (an address in each page, one reference in four a store) and as
`lackey` records (fetches, loads, stores and modifies of 1 to 8 bytes,
none across a page boundary), and times each the same way: their
FINALSTATS must be the page-number trace's (the kind of access changes no
miss under FIFO or LRU), so the line says whether they are.

--trace FILE times an existing trace instead of generating one; --write
FILE only writes the trace and exits. Run from anywhere. Exit status 0, 1
when mmsim fails or its misses differ from paging-policy.py's or from the
page-number trace's.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FOOTPRINT = 8192
HOT = 700
CACHE = 1000


def pages(refs):
    """The page numbers of bench.c's make_trace, without its write bit."""
    seed, hot = 0x2545F491, 0
    for i in range(refs):
        x = seed
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        seed = r = x
        if i % 1000 == 999:
            hot = (hot + 1) % FOOTPRINT
        yield (hot + (r >> 8) % HOT) % FOOTPRINT if r % 50 else (r >> 8) % FOOTPRINT


def line(fmt, i, p):
    """Reference i, of page p, as a line of the format."""
    if fmt == "rw":
        return "%x %s\n" % (p << 12 | (i * 37) % 4096, "W" if i % 4 == 1 else "R")
    if fmt == "lackey":
        size = (1, 2, 4, 8)[i % 4]
        return "%s %08x,%d\n" % (("I ", " L", " S", " M")[i * 3 % 4], p << 12 | (i * 64) % 4032, size)
    return "%d\n" % p


def write_trace(path, refs, fmt="pages"):
    with open(path, "w") as f:
        chunk = []
        for i, p in enumerate(pages(refs)):
            chunk.append(line(fmt, i, p))
            if len(chunk) == 65536:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


def cpu_time(cmd):
    """Run cmd with its output to a pipe; (user + system seconds, stdout, status).

    posix_spawn, not fork: a child forked from Python runs Python until its
    exec, copying the pages it touches, and wait4 would charge that to the
    command timed (several milliseconds on some machines)."""
    out = tempfile.TemporaryFile()
    actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]
    pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    out.close()
    return usage.ru_utime + usage.ru_stime, text, os.waitstatus_to_exitcode(status)


def finalstats(text):
    for line in text.splitlines():
        if line.startswith("FINALSTATS"):
            return " ".join(line.split())
    return None


def timed(cmd, runs):
    times, text = [], ""
    for _ in range(runs):
        t, text, status = cpu_time(cmd)
        if status != 0:
            sys.exit("bench_trace: %s exited %d" % (" ".join(cmd), status))
        times.append(t)
    return statistics.median(times), min(times), max(times), text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mmsim", default=os.path.join(ROOT, "build", "mmsim"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--refs", type=int, default=1000000)
    ap.add_argument("--trace")
    ap.add_argument("--write")
    ap.add_argument("--paging-policy")
    ap.add_argument("--formats", default="pages")
    a = ap.parse_args()
    formats = a.formats.split(",")
    if any(f not in ("pages", "rw", "lackey") for f in formats) or (a.trace and formats != ["pages"]):
        sys.exit("bench_trace: --formats takes pages, rw and lackey, and not with --trace")
    if a.write:
        write_trace(a.write, a.refs)
        return 0
    mmsim = os.path.abspath(a.mmsim)
    with tempfile.TemporaryDirectory() as tmp:
        trace = a.trace
        if not trace:
            trace = os.path.join(tmp, "locality.txt")
            write_trace(trace, a.refs)
            print("trace: %d page numbers over %d pages, 98%% in a window of %d sliding one page every 1,000"
                  % (a.refs, FOOTPRINT, HOT))
        else:
            print("trace: %s" % trace)
        print("mmsim CPU time, user + system, %d runs each: median (least, most)" % a.runs)
        med, lo, hi, _ = timed([mmsim, "--version"], a.runs)
        print("  %-34s %.4f s (%.4f, %.4f)" % ("mmsim --version (starting)", med, lo, hi))
        failed = False
        others = {}
        for fmt in formats:
            if fmt != "pages":
                others[fmt] = os.path.join(tmp, "locality." + fmt)
                write_trace(others[fmt], a.refs, fmt)
        for policy in ("fifo", "lru"):
            cmd = [mmsim, "trace", "-p", policy, "-C", str(CACHE), trace]
            med, lo, hi, text = timed(cmd, a.runs)
            stats = finalstats(text)
            print("  %-34s %.4f s (%.4f, %.4f)  %s" % ("trace -p %s -C %d" % (policy, CACHE), med, lo, hi, stats))
            for fmt, path in others.items():
                fmed, flo, fhi, ftext = timed([mmsim, "trace", "-p", policy, "-C", str(CACHE), path], a.runs)
                same = finalstats(ftext) == stats
                failed |= not same
                print("  %-34s %.4f s (%.4f, %.4f)  misses %s" % ("  the same as %s" % fmt, fmed, flo, fhi,
                                                                  "as the pages'" if same else "DIFFER"))
            if a.paging_policy:
                py = ["/usr/bin/python3", os.path.abspath(a.paging_policy), "-f", trace, "-p", policy.upper(),
                      "-C", str(CACHE), "-c", "-N"]
                t, pytext, status = cpu_time(py)
                pystats = finalstats(pytext)
                same = status == 0 and pystats == stats
                failed |= not same
                print("  %-34s %.2f s (once)  %s" % ("paging-policy.py -p %s" % policy.upper(), t, pystats))
                print("  %-34s %.0f times faster; misses %s" % ("", t / med, "equal" if same else "DIFFER"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
