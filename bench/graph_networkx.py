"""networkx peer of bench/graph.ts (run with Debian's /usr/bin/python3 and python3-networkx).

Reads the graph the TypeScript side wrote (raw little-endian arrays, see
bench/graph-data.ts writeEdgeFiles): PREFIX.dir.* is the directed graph,
PREFIX.und.* the undirected one (each tie once, weights already summed).
Prints one JSON object per finished stage on stdout, flushed, so a run cut
short by the caller's time limit still reports the stages it finished.

usage: graph_networkx.py PREFIX NODES SEEDS(comma-separated) RESTART MAX_ITER TOL WEIGHTED(0|1) LOUVAIN_SEED
"""
import json
import sys
import time

import networkx as nx
import numpy as np


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds, self.cpu_seconds = time.perf_counter() - self.wall, time.process_time() - self.cpu


def report(stage, **fields):
    print(json.dumps({"stage": stage, "rssMiB": round(rss_mib(), 1), **fields}), flush=True)


def read(prefix):
    src = np.fromfile(prefix + ".src.u32", dtype="<u4").tolist()
    dst = np.fromfile(prefix + ".dst.u32", dtype="<u4").tolist()
    w = np.fromfile(prefix + ".w.f32", dtype="<f4").tolist()
    return src, dst, w


def main():
    prefix, nodes, seeds, restart, max_iter, tol, weighted, louvain_seed = sys.argv[1:9]
    nodes = int(nodes)
    seeds = [int(s) for s in seeds.split(",")]
    weighted = weighted == "1"
    report("start")

    src, dst, w = read(prefix + ".dir")
    with Timer() as timer:
        graph = nx.DiGraph()
        graph.add_nodes_from(range(nodes))
        if weighted:
            graph.add_weighted_edges_from(zip(src, dst, w))
        else:
            graph.add_edges_from(zip(src, dst))
    del src, dst, w
    report("build", seconds=timer.seconds, cpuSeconds=timer.cpu_seconds, edges=graph.number_of_edges())

    # networkx stops when the L1 change is below N * tol, so tol is divided by N
    # to stop at the same L1 change as Lapwing.
    personalization = {s: 1.0 / len(seeds) for s in seeds}
    with Timer() as timer:
        try:
            scores = nx.pagerank(graph, alpha=1 - float(restart), personalization=personalization,
                                 max_iter=int(max_iter), tol=float(tol) / nodes, weight="weight" if weighted else None)
            converged = True
        except nx.PowerIterationFailedConvergence:
            scores, converged = None, False
    if scores is not None:
        np.array([scores[i] for i in range(nodes)], dtype="<f8").tofile(prefix + ".nx-ppr.f64")
    report("ppr", seconds=timer.seconds, cpuSeconds=timer.cpu_seconds, converged=converged)
    del graph, scores

    src, dst, w = read(prefix + ".und")
    with Timer() as timer:
        undirected = nx.Graph()
        undirected.add_nodes_from(range(nodes))
        undirected.add_weighted_edges_from(zip(src, dst, w))
    del src, dst, w
    report("undirected-build", seconds=timer.seconds, cpuSeconds=timer.cpu_seconds, edges=undirected.number_of_edges())

    with Timer() as timer:
        communities = nx.community.louvain_communities(undirected, weight="weight", resolution=1, seed=int(louvain_seed))
    labels = np.zeros(nodes, dtype="<i4")
    for label, members in enumerate(communities):
        for node in members:
            labels[node] = label
    labels.tofile(prefix + ".nx-louvain.i32")
    report("louvain", seconds=timer.seconds, cpuSeconds=timer.cpu_seconds, count=len(communities))


if __name__ == "__main__":
    main()
