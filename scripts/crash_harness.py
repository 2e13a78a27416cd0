#!/usr/bin/env python3
"""Kills `sitat apply` at random moments and checks that nothing acknowledged was lost.

Each round writes COMMANDS codings (each with a memo naming its round and line) as JSON lines,
starts `sitat apply` on them, kills it with SIGKILL after a random delay, and then checks with
the same binary that every line it acknowledged ("applied N") is in the project exactly once,
that at most the one line in flight beyond the last acknowledgement is there too, and that
`sitat check` passes.

    cargo build --release --no-default-features
    python3 scripts/crash_harness.py --kills 120 [--sitat target/release/sitat] [--seed 1]

Prints one line per round and a summary; exits non-zero on the first loss.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time


def coding(round_no, line_no, source_len):
    start = (round_no * 7 + line_no) % max(1, source_len - 5)
    return {
        "op": "add_coding",
        "id": 0,
        "source_id": 1,
        "theme_id": 1,
        "coder_id": 1,
        "span": {"start": start, "end": start + 5},
        "stance": None,
        "memo": f"harness r{round_no} l{line_no}",
        "created_at_ms": 0,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=120)
    parser.add_argument("--commands", type=int, default=400, help="lines per round")
    parser.add_argument("--max-delay", type=float, default=1.5, help="seconds before the kill")
    parser.add_argument("--sitat", default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sitat = args.sitat or next(
        p for p in ("target/release/sitat", "target/debug/sitat") if os.path.exists(p)
    )
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="sitat-crash-")
    project = os.path.join(work, "harness.sitat")
    run = lambda *a: subprocess.run([sitat, *a], capture_output=True, text=True)
    assert run("demo", project).returncode == 0
    sources = run("sources", project).stdout.splitlines()[1].split("\t")
    source_len = int(sources[2])
    # The coder the commands name must exist: one coding by hand creates coder 1.
    run("code", project, "--source", "1", "--start", "0", "--end", "3", "--theme",
        run("themes", project).stdout.splitlines()[0].split(" ", 1)[1].split("  [")[0].strip())

    acknowledged_total = 0
    for round_no in range(1, args.kills + 1):
        commands = os.path.join(work, f"round{round_no}.jsonl")
        with open(commands, "w") as f:
            for line_no in range(1, args.commands + 1):
                f.write(json.dumps(coding(round_no, line_no, source_len)) + "\n")
        child = subprocess.Popen([sitat, "apply", project, commands],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        acked = []
        reader = threading.Thread(
            target=lambda: [acked.append(int(l.split()[1])) for l in child.stdout
                            if l.startswith("applied ")])
        reader.start()
        time.sleep(rng.uniform(0.0, args.max_delay))
        child.kill()
        child.wait()
        reader.join()
        present = {}
        codings = json.loads(run("codings", project, "--format", "json").stdout)
        for c in codings:
            memo = c.get("memo") or c.get("coding", {}).get("memo", "")
            if memo.startswith(f"harness r{round_no} "):
                n = int(memo.split(" l")[1])
                present[n] = present.get(n, 0) + 1
        last = max(acked, default=0)
        lost = [n for n in acked if present.get(n) != 1]
        extra = [n for n in present if n not in acked and n != last + 1]
        check = run("check", project)
        ok = not lost and not extra and check.returncode == 0
        acknowledged_total += len(acked)
        print(f"round {round_no}: {len(acked)} acknowledged, {len(present)} present, "
              f"check {'ok' if check.returncode == 0 else 'FAILED'}")
        if not ok:
            print(f"LOST {lost} EXTRA {extra} {check.stderr}", file=sys.stderr)
            print(f"project kept in {project}", file=sys.stderr)
            return 1
    print(f"{args.kills} kills, {acknowledged_total} acknowledged commands, all present; "
          f"check passed after every kill")
    return 0


if __name__ == "__main__":
    sys.exit(main())
