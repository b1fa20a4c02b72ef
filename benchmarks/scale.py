#!/usr/bin/env python3
"""Scale benchmark: synthetic corpora of N jurisdictions (dutygraph synth), built and queried the
dutygraph way (parallel streaming build, per-document SHACL, embedded Oxigraph store) and, side by
side where it finishes, the plain way (an rdflib in-memory graph, pyshacl on the whole graph,
rdflib's SPARQL engine). Also times `load` into an Oxigraph server.

usage: python benchmarks/scale.py --sizes 100 1000 [--plain-up-to 1000] [--out benchmarks/results]
       python benchmarks/scale.py --sizes 3200 --queries-only         (re-time the queries on a build)
       python benchmarks/scale.py --sizes 1000 --plain-queries-only   (rdflib's engine on a build)
       python benchmarks/scale.py --sizes 3200 --build-only           (time the build alone)
       python benchmarks/scale.py --sizes 3200 --memory-only          (the queries on the graph in memory)
       python benchmarks/scale.py --sizes 3200 --prepare-only         (`prepare` on a build, then each first asking)
Writes one JSON file per size and prints a table. Timed on a 2-core, 24 GiB machine.
"""
import argparse
import json
import multiprocessing as mp
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

QUERIES = {   # every library query, with the parameters a researcher would give
    "duties (one theme, one place)": ("duties", {"theme": ["anti-trafficking"], "place": "@place"}),
    "duties (one theme)": ("duties", {"theme": ["anti-trafficking"]}),
    "duties (one place)": ("duties", {"place": "@place"}),
    "duties (one unit type)": ("duties", {"unit_type": ["civil-affairs"]}),
    "duties (one target group)": ("duties", {"target_group": ["children"]}),
    "duties (one target group, one place)": ("duties", {"target_group": ["children"], "place": "@place"}),
    "duties-without-basis (one place)": ("duties-without-basis", {"place": "@place"}),
    "duties-without-basis": ("duties-without-basis", {}),
    "duties-without-unit (one place)": ("duties-without-unit", {"place": "@place"}),
    "duties-without-unit": ("duties-without-unit", {}),
    "units-sharing-theme": ("units-sharing-theme", {}),
    "agency-type-duties": ("agency-type-duties", {"unit_type": ["civil-affairs"]}),
    "tasks (one place)": ("tasks", {"place": "@place"}),
    "tasks-without-lead": ("tasks-without-lead", {}),
    "tasks-without-lead (one place)": ("tasks-without-lead", {"place": "@place"}),
    "task-targets (one place)": ("task-targets", {"place": "@place"}),
    "lead-support-edges (one place)": ("lead-support-edges", {"place": "@place"}),
    "members (one place)": ("members", {"place": "@place"}),
    "units (one place)": ("units", {"place": "@place"}),
    "jurisdictions": ("jurisdictions", {}),
    "laws": ("laws", {}),
    "laws (one place)": ("laws", {"place": "@place"}),
    "law-use": ("law-use", {}),
    "law-use (one place)": ("law-use", {"place": "@place"}),
    "laws-by-unit": ("laws-by-unit", {}),
    "laws-not-carried-out": ("laws-not-carried-out", {}),
    "legal-bases (one place)": ("legal-bases", {"place": "@place"}),
    "unresolved-laws": ("unresolved-laws", {}),
    "theme-counts": ("theme-counts", {}),
    "unit-names": ("unit-names", {}),
    "target-groups-by-unit (one place)": ("target-groups-by-unit", {"place": "@place"}),
    "gap-facts": ("gap-facts", {}),
    "gap-facts (one place)": ("gap-facts", {"place": "@place"}),
    "holders-not-members": ("holders-not-members", {}),
    "holders-not-members (one place)": ("holders-not-members", {"place": "@place"}),
    "suggestions": ("suggestions", {}),
    "suggestions (one place)": ("suggestions", {"place": "@place"}),
    "network-size": ("network-size", {}),
    "network-size (one place)": ("network-size", {"place": "@place"}),
    "type-theme-use": ("type-theme-use", {}),
    "type-theme-use (one place)": ("type-theme-use", {"place": "@place"}),
    "validation (violations)": ("validation", {"only": ["Violation"]}),
    "validation (warnings)": ("validation", {"only": ["Warning"]}),
}
SUITE = set(QUERIES)


def asked(params: dict, place: str) -> dict:
    """A query's parameters with the one-place placeholder replaced by the place asked about."""
    return {k: (place if v == "@place" else v) for k, v in params.items()}


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo += children.get(p, [])
    return total


def steal_s() -> float | None:
    """CPU seconds the hypervisor has given other machines so far, summed over this machine's
    cores (Linux's /proc/stat; None elsewhere): the part of a slow hour that is not the code's."""
    try:
        with open("/proc/stat") as f:
            return int(f.readline().split()[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def process_use(pid: int) -> dict | None:
    """CPU seconds a running process has used and the bytes it has written to disk so far
    (Linux's /proc; None elsewhere): whether a slow load waits on the server's cores or its disk."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/io") as f:
            io = dict(line.split(": ") for line in f.read().splitlines())
    except (OSError, ValueError):
        return None
    return {"cpu_s": (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"),
            "written_bytes": int(io["write_bytes"])}


def cpu_between(before, after) -> float:
    """CPU seconds (user and system) between two ``resource.getrusage`` readings."""
    return round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)


def run_measured(cmd: list[str]) -> tuple[float, int, str, dict]:
    """Wall seconds, peak memory of the process tree, its output, and the CPU it used (its
    processes, waited for: the build's workers and loading child) and the machine's steal."""
    start, before, stolen = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN), steal_s()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "DUTYGRAPH_PROGRESS": "0"})
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.5)
    out = proc.stdout.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {"cpu_s": cpu_between(before, after),
           "steal_s": round(steal_s() - stolen, 1) if stolen is not None else None}
    return time.perf_counter() - start, peak, out, cpu


def timed(fn, *a, **k):
    t = time.perf_counter()
    r = fn(*a, **k)
    return time.perf_counter() - t, r


def _query_child(workdir, name, params, q):
    """The store's time (the second of two runs, no answer kept), then the time of the same
    question asked again where answers are kept (graph/answers/: read back if it took a while)."""
    from dutygraph import Workspace

    ws = Workspace(workdir, cache=False)
    ws.run(name, **params)                      # once to warm the store's caches
    store_s, rows = timed(ws.run, name, **params)
    keeping = Workspace(workdir)
    keeping.run(name, **params)                 # answered by the store, and kept if it took a second or more
    again_s, again = timed(keeping.run, name, **params)
    if again != rows:
        raise SystemExit(f"{name} {params}: the answer read back differs from the store's")
    q.put((store_s, again_s, len(rows)))


def query_threads() -> int:
    """The threads the embedded store answers a query written in parts with (DUTYGRAPH_THREADS sets it)."""
    from dutygraph.store import default_threads

    return default_threads()


def in_child(target, args: tuple, timeout: float, label: str):
    """What ``target(*args, queue)`` puts on its queue, run in a child process; None if it is still
    at work after ``timeout`` seconds (it is then stopped)."""
    q = mp.Queue()
    p = mp.Process(target=target, args=(*args, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    if p.exitcode:
        raise SystemExit(f"{label}: the question's process failed (exit {p.exitcode})")
    return q.get()


def query_suite(workdir: Path, place: str, timeout: float) -> dict[str, dict]:
    """Each library query on the embedded store, in a child process stopped after ``timeout``: the
    store's time (``queries_s``), the time asked again where answers are kept (``asked_again_s``)
    and the rows (``query_rows``)."""
    import shutil

    shutil.rmtree(workdir / "graph" / "answers", ignore_errors=True)   # none kept by an earlier run
    times, again, rows = {}, {}, {}
    for label, (name, params) in QUERIES.items():
        got = in_child(_query_child, (workdir, name, asked(params, place)), timeout, label)
        if got is None:
            times[label], again[label], rows[label] = f">{timeout:.0f}", None, None
        else:
            seconds, again_s, n = got
            times[label], again[label], rows[label] = round(seconds, 3), round(again_s, 3), n
        print(f"  {label}: {times[label]} s, asked again {again[label]} s, {rows[label]} rows", file=sys.stderr, flush=True)
    return {"queries_s": times, "asked_again_s": again, "query_rows": rows}


def _plain_bindings(place_iri, params):
    from rdflib import Literal, URIRef

    bound = {}
    for k, v in params.items():
        if v == "@place":
            bound[k] = [URIRef(place_iri)]
        elif k == "theme":
            bound[k] = [URIRef(f"https://w3id.org/dutygraph/vocab/theme/{x}") for x in v]
        elif k == "unit_type":
            bound[k] = [URIRef(f"https://w3id.org/dutygraph/vocab/agency-type/{x}") for x in v]
        else:
            bound[k] = [Literal(x) for x in v]
    return bound


def _plain_one(ds, text, q):
    t = time.perf_counter()
    try:
        list(ds.query(text))
    except Exception as exc:   # rdflib's engine fails on some queries (an unbound variable in GROUP_CONCAT)
        q.put(f"error: {type(exc).__name__}")
        return
    q.put(time.perf_counter() - t)


def _plain_child(workdir, place_iri, labels, timeout, q):
    """rdflib's way: the TriG parsed once into a Dataset, then each query in a process forked from
    this one (it shares the parsed graph), stopped after ``timeout`` seconds."""
    from rdflib import Dataset

    from dutygraph import queries as qlib

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(workdir / "graph" / "dutygraph.trig", format="trig")
    q.put(("parse_s", time.perf_counter() - t))
    lib = qlib.library(ROOT / "queries")
    fork = mp.get_context("fork")
    for label in labels:
        name, params = QUERIES[label]
        given = dict(params)
        for key, p in lib[name].params.items():   # the defaults the command line gives
            if key not in given and p.default is not None:
                given[key] = [p.default]
        text = lib[name].bind(_plain_bindings(place_iri, given))
        rq = fork.Queue()
        child = fork.Process(target=_plain_one, args=(ds, text, rq))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            q.put((f"query:{label}", f">{timeout:.0f}"))
        else:
            q.put((f"query:{label}", rq.get(timeout=10) if child.exitcode == 0 else "error: died"))
    q.put(("done", True))


def _pyshacl_child(workdir, q):
    """pySHACL on the whole graph in one rdflib graph (read through pyoxigraph's fast parser as
    N-Triples, the ontology added to it: one copy in memory, where ``ont_graph`` would make two)."""
    import pyoxigraph as ox
    import pyshacl
    from rdflib import Graph

    t = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(workdir / "graph" / "dutygraph.trig"), format=ox.RdfFormat.TRIG)
    data = Graph()
    data.parse(data="".join(f"{x.subject} {x.predicate} {x.object} .\n" for x in store), format="nt")
    del store
    data.parse(ROOT / "ontology" / "dutygraph.ttl")
    q.put(("pyshacl_parse_s", time.perf_counter() - t))
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl").parse(ROOT / "ontology" / "shapes-shared.ttl")
    t = time.perf_counter()
    pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True)
    q.put(("pyshacl_s", time.perf_counter() - t))


def plain(workdir: Path, place_iri: str, query_timeout: float, shacl_timeout: float, labels=None) -> dict:
    """The plain way: rdflib's Dataset and SPARQL engine on ``labels`` (none: only pySHACL), and
    pySHACL on the whole graph."""
    res: dict = {}
    if labels:
        q = mp.Queue()
        p = mp.Process(target=_plain_child, args=(workdir, place_iri, list(labels), query_timeout, q))
        p.start()
        while True:
            key, value = q.get()
            if key == "done":
                break
            res[key] = round(value, 3) if isinstance(value, float) else value
            print(f"  rdflib {key}: {res[key]}", file=sys.stderr, flush=True)
        p.join()
    if not shacl_timeout:
        return res
    q = mp.Queue()
    p = mp.Process(target=_pyshacl_child, args=(workdir, q))
    p.start()
    p.join(shacl_timeout)
    if p.is_alive():
        p.kill()
        res["pyshacl_s"] = f">{shacl_timeout:.0f}"
    while not q.empty():
        res.update(dict([q.get()]))
    return res


def ratio(embedded: dict, rdflib: dict) -> dict:
    """Suite totals and the ratio, a query that rdflib did not finish counted at its time limit (so
    the ratio is a lower bound)."""
    labels = [k for k in embedded if isinstance(embedded[k], (int, float))
              and str(rdflib.get(f"query:{k}", "error")).lstrip(">").replace(".", "", 1).isdigit()]
    ours = sum(embedded[k] for k in labels)
    theirs = sum(float(str(rdflib[f"query:{k}"]).lstrip(">")) for k in labels)
    unfinished = sum(1 for k in labels if str(rdflib[f"query:{k}"]).startswith(">"))
    return {"queries": len(labels), "embedded_s": round(ours, 2), "rdflib_s": round(theirs, 1),
            "rdflib_unfinished": unfinished, "ratio_at_least": round(theirs / ours, 1) if ours else None}


def load_time(workdir: Path, again: bool = True) -> dict:
    """Seconds to ``load`` the graph into a new Oxigraph server (with the machine's steal
    meanwhile), then (``again``) to load it once more (nothing changed: the digests are compared
    and no graph is sent)."""
    import shutil

    from dutygraph.endpoint import load, oxigraph_binary

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = workdir / "bench-server"
    shutil.rmtree(store, ignore_errors=True)
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        stolen, server, own = steal_s(), process_use(proc.pid), resource.getrusage(resource.RUSAGE_SELF)
        out = {"load_server_s": round(timed(load, workdir, url, 1800.0)[0], 1)}
        if stolen is not None:
            out["load_server_steal_s"] = round(steal_s() - stolen, 1)
        done, mine = process_use(proc.pid), resource.getrusage(resource.RUSAGE_SELF)
        out["load_client_cpu_s"] = cpu_between(own, mine)
        if server and done:   # the server's CPU (its threads) and what it wrote, during the load
            out["load_server_cpu_s"] = round(done["cpu_s"] - server["cpu_s"], 1)
            out["load_server_written_gib"] = round((done["written_bytes"] - server["written_bytes"]) / 2**30, 2)
        if again:
            out["reload_server_s"] = round(timed(load, workdir, url, 1800.0)[0], 1)
        return out
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(store, ignore_errors=True)


def read_results(result_file: Path) -> dict:
    """A size's result file (figures of earlier runs that this one does not measure stay)."""
    return json.loads(result_file.read_text()) if result_file.exists() else {}


def write_results(result_file: Path, result: dict) -> None:
    """The figures written beside the file and renamed over it, so a run stopped midway keeps the old."""
    tmp = result_file.with_name(result_file.name + ".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    os.replace(tmp, result_file)


def first_place(work: Path) -> tuple[str, str]:
    """The place the one-place queries ask about: the first prefecture by name (with its counties)."""
    from dutygraph import Workspace

    ws = Workspace(work)
    place = sorted(r["name"] for r in ws.run("jurisdictions") if r["level"] == "prefecture")[0]
    return place, ws.jurisdiction_iri(place)   # the store closes with ws: the children open it themselves


def requery(work: Path, result_file: Path, timeout: float) -> None:
    """Time the queries again on an existing build (with the project's current queries) and put the
    figures in its result file."""
    import shutil

    shutil.rmtree(work / "queries", ignore_errors=True)
    shutil.copytree(ROOT / "queries", work / "queries")
    suite = query_suite(work, first_place(work)[0], timeout)
    result = read_results(result_file)
    for key, new in suite.items():   # labels no longer in the suite go
        result[key] = {k: v for k, v in {**result.get(key, {}), **new}.items() if k in SUITE}
    result["query_threads"] = query_threads()
    if any(k.startswith("query:") for k in result.get("plain", {})):   # the ratio follows the new figures
        result["plain_ratio"] = ratio(result["queries_s"], result["plain"])
    write_results(result_file, result)
    print(json.dumps(suite, ensure_ascii=False, indent=2), flush=True)


def in_memory(work: Path, result_file: Path) -> None:
    """The suite on ``Workspace(memory=True)``, the graph loaded into memory once (timed, with the
    process's peak memory), each query run twice in that process and the second run timed."""
    from dutygraph import Workspace

    place = first_place(work)[0]
    ws = Workspace(work, memory=True, cache=False)
    load_s, _ = timed(lambda: ws.store)
    times = {}
    for label, (name, params) in QUERIES.items():
        params = asked(params, place)
        ws.run(name, **params)
        seconds, rows = timed(ws.run, name, **params)
        times[label] = round(seconds, 3)
        print(f"  {label}: {times[label]} s, {len(rows)} rows", file=sys.stderr, flush=True)
    result = read_results(result_file)
    result["memory"] = {"load_s": round(load_s, 1), "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "queries_s": {**result.get("memory", {}).get("queries_s", {}), **times}}
    write_results(result_file, result)
    print(json.dumps(result["memory"], ensure_ascii=False, indent=2), flush=True)


COMMANDS = [   # the listing commands of the country that ask more than one library query, as typed
    "dutygraph duties --theme anti-trafficking",
    "dutygraph duties --agency-type civil-affairs",
    "dutygraph duties --target-group children",
    "dutygraph laws",
    "dutygraph validate --severity Warning",
    "dutygraph gaps",
]


def _first_child(workdir, label, place, q):
    """A new process's first asking of one question of the suite, answers kept."""
    from dutygraph import Workspace

    name, params = QUERIES[label]
    seconds, rows = timed(Workspace(workdir).run, name, **asked(params, place))
    q.put((seconds, len(rows)))


def command_first(workdir: Path, command: str, fmt: str, timeout: float) -> float | str:
    """A command of COMMANDS as a researcher types it, in the given format, its output thrown away:
    the wall-clock seconds of the whole process (Python's start, the answers read back, the rows
    written), or ">timeout" if it was stopped."""
    argv = [sys.executable, "-m", "dutygraph", *command.split()[1:], "--workspace", str(workdir), "--format", fmt]
    start = time.perf_counter()
    try:
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f">{timeout:.0f}"
    return round(time.perf_counter() - start, 3)


def prepared(work: Path, result_file: Path, timeout: float) -> None:
    """`dutygraph prepare` on the build in ``work``, no answer kept before it (its time, peak memory,
    CPU and the answers it kept), then each question of the suite asked once, each in a new process,
    as a researcher's first asking after it, and each command of COMMANDS typed once in each format."""
    import shutil

    answers_dir = work / "graph" / "answers"
    shutil.rmtree(answers_dir, ignore_errors=True)
    seconds, peak, out, cpu = run_measured([sys.executable, "-m", "dutygraph", "prepare", "--workspace", str(work),
                                            "--format", "json"])
    listings = json.loads(out)
    kept = list(answers_dir.glob("*/*.marshal"))
    place, first = first_place(work)[0], {}
    for label in QUERIES:
        got = in_child(_first_child, (work, label, place), timeout, label)
        first[label] = f">{timeout:.0f}" if got is None else round(got[0], 3)
        print(f"  {label}: {first[label]} s", file=sys.stderr, flush=True)
    for command in COMMANDS:
        for fmt in ("table", "json", "csv"):
            label = f"{command} --format {fmt}"
            first[label] = command_first(work, command, fmt, timeout)
            print(f"  {label}: {first[label]} s", file=sys.stderr, flush=True)
    result = read_results(result_file)
    result["prepare"] = {
        "seconds": round(seconds, 1), "peak_rss_mib": round(peak / 2**20), **cpu, "listings": len(listings),
        "answers_kept": len(kept), "answers_mib": round(sum(f.stat().st_size for f in kept) / 2**20, 1),
        "slowest": {r["command"]: r["seconds"] for r in sorted(listings, key=lambda r: -r["seconds"])[:10]},
        "first_asking_s": first}
    write_results(result_file, result)
    print(json.dumps(result["prepare"], ensure_ascii=False, indent=2), flush=True)


def replain(work: Path, result_file: Path, timeout: float) -> None:
    """rdflib's engine on the queries of an existing build, beside the embedded figures of its file."""
    result = read_results(result_file)
    found = plain(work, first_place(work)[1], timeout, 0, list(QUERIES))
    result["plain"] = {**{k: v for k, v in result.get("plain", {}).items() if not k.startswith("query:")}, **found}
    result["plain_ratio"] = ratio(result.get("queries_s", {}), result["plain"])
    write_results(result_file, result)
    print(json.dumps({"plain": result["plain"], "plain_ratio": result["plain_ratio"]}, ensure_ascii=False, indent=2), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--plain-up-to", type=int, default=1000)
    ap.add_argument("--plain-timeout", type=float, default=1800, help="seconds for pyshacl on the whole graph")
    ap.add_argument("--query-timeout", type=float, default=120, help="seconds for one query on rdflib")
    ap.add_argument("--store-query-timeout", type=float, default=180, help="seconds for one query (run twice) on the store")
    ap.add_argument("--plain-queries-up-to", type=int, default=100, help="run rdflib's engine on the queries up to this size")
    ap.add_argument("--queries-only", action="store_true",
                    help="re-time the queries on the corpus and store already built in --work (no synth, build or load);"
                         " the figures replace the queries in the size's result file")
    ap.add_argument("--plain-queries-only", action="store_true",
                    help="time only rdflib's engine on the queries, on the build already in --work (the graph parsed once,"
                         " each query in a forked process); the figures and the ratio go into the size's result file")
    ap.add_argument("--memory-only", action="store_true",
                    help="time the queries on the build already in --work loaded into memory (Workspace(memory=True)),"
                         " in one process; the load's time and memory and the figures go into the size's result file")
    ap.add_argument("--prepare-only", action="store_true",
                    help="time `dutygraph prepare` on the build already in --work, then the first asking of each"
                         " question in a new process; the figures go into the size's result file under \"prepare\"")
    ap.add_argument("--only", nargs="+", metavar="LABEL", help="time only these queries (labels as in QUERIES)")
    ap.add_argument("--load-only", action="store_true",
                    help="time only `load` into a new Oxigraph server on the build already in --work")
    ap.add_argument("--build-only", action="store_true",
                    help="time the build alone (on the existing corpus) and put its figures in the result file")
    ap.add_argument("--reload", action="store_true", help="with --load-only: also time a second load (unchanged graphs are not sent)")
    ap.add_argument("--work", default="/tmp/dutygraph-bench")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    a = ap.parse_args()
    Path(a.out).mkdir(parents=True, exist_ok=True)
    if a.only:
        for label in set(QUERIES) - set(a.only):
            del QUERIES[label]
    for n in a.sizes:
        work = Path(a.work) / f"n{n}"
        if a.queries_only:
            requery(work, Path(a.out, f"scale-{n}.json"), a.store_query_timeout)
            continue
        if a.prepare_only:
            prepared(work, Path(a.out, f"scale-{n}.json"), a.store_query_timeout)
            continue
        if a.memory_only:
            in_memory(work, Path(a.out, f"scale-{n}.json"))
            continue
        if a.plain_queries_only:
            replain(work, Path(a.out, f"scale-{n}.json"), a.query_timeout)
            continue
        if a.load_only:
            result_file = Path(a.out, f"scale-{n}.json")
            result = read_results(result_file)
            loaded = load_time(work, a.reload)
            result.update(loaded)
            write_results(result_file, result)
            print(json.dumps(loaded), flush=True)
            continue
        if not (work / "corpus").exists():
            subprocess.run([sys.executable, "-m", "dutygraph", "synth", "--jurisdictions", str(n), "--out", str(work),
                            "--seed", "1", "--workspace", str(ROOT)], check=True)
        import shutil

        for name in ("ontology", "queries"):   # always the project's current ones
            shutil.rmtree(work / name, ignore_errors=True)
            shutil.copytree(ROOT / name, work / name)
        shutil.rmtree(work / "graph", ignore_errors=True)
        build_s, peak, out, cpu = run_measured([sys.executable, "-m", "dutygraph", "build", "--workspace", str(work)])
        summary = dict(line.split(None, 1) for line in out.splitlines() if line and not line.startswith("graph/"))
        built = {"jurisdictions": n, "documents": int(summary["documents"]), "triples": int(summary["triples"]),
                 "build_s": round(build_s, 1), "build_peak_rss_mib": round(peak / 2**20),
                 "build_cpu_s": cpu["cpu_s"], "build_steal_s": cpu["steal_s"],
                 "validation_worker_s": float(summary["validation"].split()[0]) if "validation" in summary else None}
        if a.build_only:
            result_file = Path(a.out, f"scale-{n}.json")
            result = {**read_results(result_file), **built}
            write_results(result_file, result)
            print(json.dumps(built), flush=True)
            continue
        place, place_iri = first_place(work)
        suite = query_suite(work, place, a.store_query_timeout)
        queries = suite["queries_s"]
        result = {**read_results(Path(a.out, f"scale-{n}.json")), **built, **suite,
                  "query_threads": query_threads(), **load_time(work)}
        if n <= a.plain_up_to:
            labels = list(QUERIES) if n <= a.plain_queries_up_to else []   # larger: parsing and pySHACL only
            found = plain(work, place_iri, a.query_timeout, a.plain_timeout, labels)
            kept = {} if labels else {k: v for k, v in result.get("plain", {}).items() if k.startswith("query:")}
            result["plain"] = {**kept, **found}   # rdflib's earlier query figures stay when not timed again
            if any(k.startswith("query:") for k in result["plain"]):   # the ratio follows the new figures
                result["plain_ratio"] = ratio(queries, result["plain"])
        write_results(Path(a.out, f"scale-{n}.json"), result)
        print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)


if __name__ == "__main__":
    main()
