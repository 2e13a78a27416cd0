#!/usr/bin/env python3
"""Recomputes `sitat agreement` with independent implementations and compares to 1e-6.

Reads the project file directly (sqlite3), rebuilds the units from the definitions in the
README ("Agreement"), and computes the figures with the `krippendorff` package (PyPI) and
scikit-learn's `cohen_kappa_score`:

    pip install krippendorff scikit-learn
    python3 scripts/agreement_crosscheck.py target/debug/sitat            # demo + a second coder
    python3 scripts/agreement_crosscheck.py target/debug/sitat --three    # demo + two more coders
    python3 scripts/agreement_crosscheck.py target/debug/sitat PROJECT    # an existing project

Without PROJECT it writes the demo to a temporary folder and adds a second coder ("Bo") who
codes most of the demo's spans again, shifted a little, with some stances and themes changed.
"""
import json
import math
import random
import sqlite3
import subprocess
import sys
import tempfile

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score


def second_coder(sitat, path, name="Bo", seed=7):
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    themes = dict(db.execute("select id, name from themes"))
    axes = {tid for (tid,) in db.execute("select id from themes where pole_negative is not null")}
    lengths = {sid: len(text) for sid, text in db.execute("select id, text from sources")}
    rows = list(db.execute("select source_id, theme_id, start_pos, end_pos, stance from codings"))
    db.close()
    for source, theme, start, end, stance in rows:
        if rng.random() < 0.2:
            continue
        start = max(0, start + rng.randint(-15, 15))
        end = min(lengths[source], max(start + 1, end + rng.randint(-25, 25)))
        if rng.random() < 0.15:
            theme = rng.choice(sorted(themes))
        args = [sitat, "code", path, "--source", str(source), "--start", str(start),
                "--end", str(end), "--theme", themes[theme], "--coder", name]
        if stance is not None and theme in axes:
            args += ["--stance", str(max(-2, min(2, stance + rng.choice([0, 0, 0, 1, -1]))))]
        subprocess.run(args, check=True, capture_output=True)


def paragraphs(text):
    """Runs of non-blank lines separated by blank lines, trimmed (as the README defines)."""
    spans, start, last_end, newlines = [], None, 0, 0
    for pos, ch in enumerate(text):
        if ch == "\n":
            newlines += 1
            if newlines >= 2 and start is not None:
                spans.append((start, last_end))
                start = None
        elif not ch.isspace():
            newlines = 0
            if start is None:
                start = pos
            last_end = pos + 1
    if start is not None:
        spans.append((start, last_end))
    return spans


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def figures(data):
    """data: coders × units, np.nan for missing."""
    data = np.array(data, dtype=float)
    out = {}
    both = ~np.isnan(data).any(axis=0)
    pairs = []
    for i in range(len(data)):
        for j in range(i + 1, len(data)):
            shared = ~np.isnan(data[i]) & ~np.isnan(data[j])
            if shared.any():
                pairs.append((data[i][shared] == data[j][shared]).mean())
    out["percent_agreement"] = 100 * sum(pairs) / len(pairs) if pairs else None
    if len(data) == 2 and both.any():
        a, b = data[0][both], data[1][both]
        out["kappa"] = None if len(set(a) | set(b)) < 2 else cohen_kappa_score(a, b)
    else:
        out["kappa"] = None
    values = data[~np.isnan(data)]
    out["alpha"] = (krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
                    if len(set(values)) > 1 else None)
    return out


def interval_alpha(data):
    data = np.array(data, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable][~np.isnan(data[:, pairable])]
    if len(set(values)) < 2:
        return None
    return krippendorff.alpha(reliability_data=data, level_of_measurement="interval")


def main():
    sitat = sys.argv[1]
    if len(sys.argv) > 2 and not sys.argv[2].startswith("--"):
        path = sys.argv[2]
    else:
        path = tempfile.mkdtemp() + "/two-coders.sitat"
        subprocess.run([sitat, "demo", path], check=True, capture_output=True)
        second_coder(sitat, path)
        if "--three" in sys.argv:
            second_coder(sitat, path, "Cy", 11)
    report = json.loads(subprocess.run([sitat, "agreement", path, "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    db = sqlite3.connect(path)
    coder_ids = [db.execute("select id from coders where name = ?", (n,)).fetchone()[0]
                 for n in report["coders"]]
    themes = {name: (tid, axis) for tid, name, axis in
              db.execute("select id, name, pole_negative is not null from themes")}
    codings = list(db.execute(
        "select source_id, theme_id, coder_id, start_pos, end_pos, stance from codings"))
    sources = [(sid, text) for sid, text in db.execute("select id, text from sources order by id")
               if all(any(k[0] == sid and k[2] == c for k in codings) for c in coder_ids)]
    assert len(sources) == report["sources"], (len(sources), report["sources"])

    worst = 0.0
    checked = 0
    for row in report["themes"]:
        theme_id, axis = themes[row["theme"]]
        data = [[] for _ in coder_ids]
        coded_data = [[] for _ in coder_ids]
        stances = [[] for _ in coder_ids]
        for sid, text in sources:
            mine = [[k for k in codings if k[0] == sid and k[2] == c] for c in coder_ids]
            if row["unit"] == "paragraph":
                units = paragraphs(text)
            else:
                units = [(i, i + 1) for i, ch in enumerate(text) if ch != "\n"]
            for unit in units:
                anyone = any(overlaps((k[3], k[4]), unit) for m in mine for k in m)
                for ci, m in enumerate(mine):
                    on_theme = [k for k in m if k[1] == theme_id and overlaps((k[3], k[4]), unit)]
                    value = 1.0 if on_theme else 0.0
                    data[ci].append(value)
                    if anyone:
                        coded_data[ci].append(value)
                    given = [k[5] for k in on_theme if k[5] is not None]
                    stances[ci].append(sum(given) / len(given) if given else math.nan)
        expected = figures(data)
        expected_coded = figures(coded_data)
        expected["alpha_interval"] = (interval_alpha(stances)
                                      if axis and row["unit"] == "paragraph" else None)
        for key, value in expected.items():
            worst = max(worst, compare(row, key, row[key], value))
        for key, value in expected_coded.items():
            worst = max(worst, compare(row, "coded " + key, row["coded_text_only"][key], value))
        assert row["units"] == len(data[0]), (row["theme"], row["units"], len(data[0]))
        assert row["coded_text_only"]["units"] == len(coded_data[0])
        checked += 1
    print(f"{checked} rows of {len(report['coders'])} coders on {len(sources)} sources: "
          f"largest difference {worst:.2e}")
    if worst > 1e-6:
        sys.exit(1)


def compare(row, key, ours, theirs):
    if ours is None or theirs is None:
        if (ours is None) != (theirs is None):
            print(f"MISMATCH {row['theme']} {row['unit']} {key}: sitat {ours}, reference {theirs}")
            return math.inf
        return 0.0
    difference = abs(ours - theirs)
    if difference > 1e-6:
        print(f"MISMATCH {row['theme']} {row['unit']} {key}: sitat {ours}, reference {theirs}")
    return difference


if __name__ == "__main__":
    main()
