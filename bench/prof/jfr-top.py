#!/usr/bin/env python3
"""Where the load run's CPU went, from a JFR recording's CPU samples (jdk.ExecutionSample):
component (handler by its handleRequest frame, each embedded service by its packages, the
local runner and the bench by thread), then top library packages and top frames (self) per
component, and each handler's time by falgate method. bench/README.md section 2.
Usage: jfr-top.py recording.jfr [rows]"""
import collections, json, re, subprocess, sys

SERVICES = [  # first match from the leaf up
    ("dynamodb-local", ("com.amazonaws.services.dynamodbv2", "com.almworks.sqlite4java", "org.eclipse.jetty",
                        "org.antlr", "org.apache.logging.log4j")),
    ("elasticmq", ("org.elasticmq", "org.apache.pekko", "scala.", "spray.")),
    ("s3proxy", ("org.gaul", "org.jclouds", "com.google.inject", "com.google.common.jimfs")),
    ("fal-emulator", ("dev.falgate.emulator",)),
]
THREADS = [("falgate-http", "runner:http-front"), ("falgate-sqs-Poll", "runner:sqs-event-source"),
           ("falgate-sqs-Finish", "runner:sqs-event-source"), ("falgate-sqs-W", "runner:sqs-event-source"),
           ("falgate-sqs-D", "runner:sqs-event-source"), ("falgate-schedule", "runner:schedule"),
           ("falgate-lambda", "runner:lambda-worker"), ("bench-client", "bench"), ("main", "bench"),
           ("HttpClient", "jdk-httpclient (bench, fal webhooks)"), ("fal-emulator", "fal-emulator"),
           ("GC", "gc"), ("C1", "jit"), ("C2", "jit")]
HANDLER = re.compile(r"dev\.falgate\.[a-z.]+\.(\w+Handler)\.")
INVOKE = "dev.falgate.local.runtime.FunctionRuntime.lambda$invoke"

def frames(ev):
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
            for f in ev["values"]["stackTrace"]["frames"]]

def component(fs, thread):
    outer = next((i for i, f in enumerate(fs) if f.startswith(INVOKE)), None)
    if outer is not None:  # the invoked handler: the outermost *Handler class below the runtime
        for f in reversed(fs[:outer]):
            m = HANDLER.match(f)
            if m:
                return "handler:" + m.group(1)
    for f in fs:
        for name, prefixes in SERVICES:
            if f.startswith(prefixes):
                return name
    for prefix, name in THREADS:
        if thread.startswith(prefix):
            return name
    return "other:" + thread.rstrip("0123456789-")

def package(frame, depth=4):
    return ".".join(frame.split(".")[:-2][:depth])

def main():
    path, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    comp, libs, mine, top = collections.Counter(), {}, {}, collections.Counter()
    for ev in json.loads(out)["recording"]["events"]:
        fs = frames(ev)
        if not fs:
            continue
        thread = (ev["values"].get("sampledThread") or {}).get("javaName") or "?"
        c = component(fs, thread)
        comp[c] += 1
        top[fs[0]] += 1
        lib = next((package(f) for f in fs if not f.startswith(("java.", "jdk.", "sun.", "com.sun."))), "jdk:" + package(fs[0], 3))
        libs.setdefault(c, collections.Counter())[lib] += 1
        if c.startswith("handler:"):  # the deepest falgate frame: which step
            i = next(i for i, f in enumerate(fs) if f.startswith("dev.falgate"))
            call = ".".join(fs[i - 1].split(".")[-2:]) if i > 0 else "(self)"
            mine.setdefault(c, collections.Counter())[fs[i].replace("dev.falgate.", "") + " -> " + call] += 1
    total = sum(comp.values())
    pct = lambda v: f"{100.0 * v / total:5.1f}%"
    print(f"== CPU samples by component ({total} samples)")
    for c, v in comp.most_common():
        print(f"{pct(v)} {v:6d}  {c}")
    for c, _ in comp.most_common(10):
        print(f"\n== {c}: first non-JDK package from the leaf")
        for k, v in libs[c].most_common(rows):
            print(f"{pct(v)} {v:6d}  {k}")
        if c in mine:
            print(f"-- {c}: deepest falgate frame -> what it called")
            for k, v in mine[c].most_common(rows):
                print(f"{pct(v)} {v:6d}  {k}")
    print(f"\n== top frames (self)")
    for k, v in top.most_common(rows * 2):
        print(f"{pct(v)} {v:6d}  {k}")

main()
