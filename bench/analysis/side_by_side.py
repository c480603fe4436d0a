"""bench/analysis: the same weighted crosstab in pandas, and the table of figures beside the goals.

    side_by_side.py BENCH_JSON CROSSTAB_PREFIX NOTES

BENCH_JSON is analysis_bench's --benchmark_out (JSON, with repetitions); CROSSTAB_PREFIX the
files its --write-crosstab-columns wrote; NOTES its standard error (dataset bytes, peak memory).
"""

import json
import sys
import time

import numpy as np
import pandas as pd

RUNS = 7  # pandas timings: the best of this many
MB = 1e6


def load_columns(prefix):
    rows = np.fromfile(prefix + ".rows.u8", dtype=np.uint8)
    columns = np.fromfile(prefix + ".columns.u8", dtype=np.uint8)
    weights = np.fromfile(prefix + ".weights.f64", dtype=np.float64)
    ours = np.fromfile(prefix + ".table.f64", dtype=np.float64).reshape(7, 6)
    # 255 is no answer: kept as a value of its own, as the C++ table keeps it in its last cell.
    return pd.DataFrame({"a": rows, "b": columns, "w": weights}), ours


def best_seconds(compute):
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        compute()
        best = min(best, time.perf_counter() - start)
    return best


# What the C++ crosstab gives: counts and weighted sums per cell, done the usual pandas ways.
PANDAS_WAYS = {
    "pd.crosstab (sums, then counts)": lambda df: (
        pd.crosstab(df.a, df.b, values=df.w, aggfunc="sum"),
        pd.crosstab(df.a, df.b),
    ),
    "groupby([a, b]).w.agg([count, sum])": lambda df: df.groupby(["a", "b"]).w.agg(
        ["count", "sum"]
    ),
    "groupby([a, b], sort=False)": lambda df: df.groupby(
        ["a", "b"], sort=False
    ).w.agg(["count", "sum"]),
}


def numpy_bincount(df):
    cell = np.minimum(df.a.to_numpy(), 6).astype(np.intp) * 6 + np.minimum(df.b.to_numpy(), 5)
    return np.bincount(cell, minlength=42), np.bincount(cell, weights=df.w.to_numpy(), minlength=42)


def pandas_agrees(df, ours):
    theirs = pd.crosstab(df.a, df.b, values=df.w, aggfunc="sum")
    # The C++ table's cells: every code, then no answer, whether or not anybody is in them.
    theirs = theirs.reindex(index=[*range(6), 255], columns=[*range(5), 255]).fillna(0).to_numpy()
    return np.allclose(theirs, ours, rtol=1e-9)


def iterations(bench, name):
    """The repetitions of one benchmark (not their aggregates)."""
    return [
        b
        for b in bench["benchmarks"]
        if b.get("run_type") == "iteration" and b["run_name"].startswith(name + "/")
    ]


def real_times_ms(bench, name):
    return sorted(b["real_time"] for b in iterations(bench, name))  # the benchmarks' unit: ms


def bytes_per_second(bench, name):
    return max(b["bytes_per_second"] for b in iterations(bench, name))


def counter(bench, name, key):
    return iterations(bench, name)[0][key]


def read_notes(path):
    notes = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(": ")
            if value and key.replace("_", "").isalnum():
                notes[key] = value.strip()
    return notes


def row(figure, goal, ours, pandas="", ratio=""):
    print(f"| {figure} | {goal} | {ours} | {pandas} | {ratio} |")


def min_median(times):
    return f"{times[0]:.2f} / {times[len(times) // 2]:.2f} ms"


def main():
    bench_json, prefix, notes_path = sys.argv[1:4]
    with open(bench_json) as f:
        bench = json.load(f)
    notes = read_notes(notes_path)
    df, ours = load_columns(prefix)

    pandas_times = {way: best_seconds(lambda: compute(df)) for way, compute in PANDAS_WAYS.items()}
    fastest_way = min(pandas_times, key=pandas_times.get)
    pandas_ms = pandas_times[fastest_way] * 1e3
    numpy_ms = best_seconds(lambda: numpy_bincount(df)) * 1e3

    crosstab = real_times_ms(bench, "crosstab_2way_1M")
    frequencies = real_times_ms(bench, "frequencies_all_100_questions_1M")
    rake = real_times_ms(bench, "rake_1M_3_margins")
    scanned = bytes_per_second(bench, "crosstab_2way_1M")
    copied = bytes_per_second(bench, "memcpy_crosstab_bytes_1M")
    ratio_best = pandas_ms / crosstab[0]
    ratio_median = pandas_ms / crosstab[len(crosstab) // 2]

    print(f"{len(df):,} responses; {len(crosstab)} repetitions, times min / median (wall clock)")
    print(f"pandas {pd.__version__}, fastest way: {fastest_way}; pandas agrees with the C++ "
          f"table: {'yes' if pandas_agrees(df, ours) else 'NO'}")
    for way, seconds in pandas_times.items():
        print(f"  {way}: {seconds * 1e3:.1f} ms")
    print()
    row("figure", "goal", "ours", "pandas", "ratio")
    row("---", "---", "---", "---", "---")
    row("weighted 2-way crosstab, 1M rows", "≤ 5 ms, ≥ 50× pandas", min_median(crosstab),
        f"{pandas_ms:.1f} ms", f"{ratio_best:.0f}× (median {ratio_median:.0f}×)")
    crosstab_way = "pd.crosstab (sums, then counts)"
    row(f"  the same, against {crosstab_way}", "", "", f"{pandas_times[crosstab_way] * 1e3:.1f} ms",
        f"{pandas_times[crosstab_way] * 1e3 / crosstab[0]:.0f}×")
    row("frequencies of all 100 questions", "≤ 200 ms", min_median(frequencies))
    row(f"raking to 3 margins ({counter(bench, 'rake_1M_3_margins', 'passes'):.0f} passes)",
        "≤ 300 ms", min_median(rake))
    row("crosstab bytes scanned/s vs memcpy", "near memcpy",
        f"{scanned / 1e9:.2f} GB/s = {scanned / copied:.0%} of memcpy's {copied / 1e9:.2f} GB/s")
    row("dataset 1M × 100 questions", "≤ 300 MB",
        f"{int(notes['dataset_bytes']) / MB:.0f} MB; peak RSS "
        f"{int(notes['peak_rss_bytes_after_build']) / MB:.0f} MB after building, "
        f"{int(notes['peak_rss_bytes_at_end']) / MB:.0f} MB at the end")
    row("(reference) numpy bincount, same crosstab", "", "", f"{numpy_ms:.1f} ms",
        f"{numpy_ms / crosstab[0]:.0f}×")


if __name__ == "__main__":
    main()
