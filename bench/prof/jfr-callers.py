#!/usr/bin/env python3
"""Who calls a frame: for CPU samples whose stack holds a frame containing TEXT, the most common
chains of the `depth` frames above it (bench/README.md section 2). Usage: jfr-callers.py rec.jfr TEXT [depth] [rows]"""
import collections, json, subprocess, sys

path, text = sys.argv[1], sys.argv[2]
depth = int(sys.argv[3]) if len(sys.argv) > 3 else 6
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 10
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
chains = collections.Counter()
for ev in events:
    fs = [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
          for f in ev["values"]["stackTrace"]["frames"]]
    i = next((i for i, f in enumerate(fs) if text in f), None)
    if i is not None:
        chains[" <- ".join(".".join(f.split(".")[-2:]) for f in fs[i:i + depth])] += 1
print(f"{sum(chains.values())} of {len(events)} samples hold a frame with {text!r}")
for chain, n in chains.most_common(rows):
    print(f"{n:6d}  {chain}")
