#!/usr/bin/python3
"""FAISS peer for bench/index.ts: same hashes, same queries, exact range search.

Run with Debian's python3-faiss: /usr/bin/python3 bench/faiss_bench.py --data D --queries Q ...
Hashes are raw 32-byte codes (the TS side writes its Uint32 words as-is;
Hamming distance does not depend on bit order, and a 16 x 16-bit MultiHash
still partitions all 256 bits, so the pigeonhole guarantee holds).
Prints one JSON object; writes MultiHash results (lims int64, ids int64) to --out.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import faiss


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, p):
    if len(values) == 0:
        return None
    return float(np.percentile(np.asarray(values), p))


def time_queries(index, queries, radius, per_query_limit):
    t0 = time.perf_counter()
    c0 = time.process_time()
    lims, _D, I = index.range_search(queries, radius)
    batch_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    lat = []
    for i in range(min(per_query_limit, queries.shape[0])):
        q = queries[i : i + 1]
        t = time.perf_counter()
        index.range_search(q, radius)
        lat.append((time.perf_counter() - t) * 1e3)
    return lims, I, batch_s, cpu_s, lat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--max-distance", type=int, default=31)
    ap.add_argument("--nhash", type=int, default=16)
    ap.add_argument("--bits", type=int, default=16)
    ap.add_argument("--nflip", type=int, default=1)
    ap.add_argument("--flat-queries", type=int, default=200)
    ap.add_argument("--latency-queries", type=int, default=500)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip-flat", action="store_true")
    args = ap.parse_args()

    faiss.omp_set_num_threads(args.threads)
    d = 256
    # FAISS binary range_search returns distances strictly below the radius.
    radius = args.max_distance + 1
    data = np.fromfile(args.data, dtype=np.uint8).reshape(-1, 32)
    queries = np.fromfile(args.queries, dtype=np.uint8).reshape(-1, 32)
    out = {"faiss_version": faiss.__version__, "threads": args.threads, "n": int(data.shape[0]), "queries": int(queries.shape[0])}

    # MultiHash: nhash tables of `bits` bits probed within Hamming radius nflip;
    # 16 x 16 with nflip 1 is exact up to distance 31 (pigeonhole).
    rss0 = rss_mib()
    t0 = time.perf_counter()
    mh = faiss.IndexBinaryMultiHash(d, args.nhash, args.bits)
    mh.nflip = args.nflip
    mh.add(data)
    build_s = time.perf_counter() - t0
    rss1 = rss_mib()
    lims, I, batch_s, cpu_s, lat = time_queries(mh, queries, radius, args.latency_queries)
    out["multihash"] = {
        "config": f"nhash={args.nhash} b={args.bits} nflip={args.nflip}",
        "build_s": build_s,
        "rss_delta_mib": rss1 - rss0,
        "batch_s": batch_s,
        "lookups_per_s": queries.shape[0] / batch_s,
        "lookups_per_cpu_s": queries.shape[0] / cpu_s,
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "results": int(lims[-1]),
    }
    with open(args.out, "wb") as f:
        f.write(np.asarray(lims, dtype=np.int64).tobytes())
        f.write(np.asarray(I, dtype=np.int64).tobytes())
    del mh

    if not args.skip_flat:
        t0 = time.perf_counter()
        flat = faiss.IndexBinaryFlat(d)
        flat.add(data)
        build_s = time.perf_counter() - t0
        fq = queries[: args.flat_queries]
        # Same half/half mix: take from both halves.
        half = queries.shape[0] // 2
        k = args.flat_queries // 2
        fq = np.concatenate([queries[:k], queries[half : half + k]])
        lims_f, I_f, batch_f, _cpu_f, lat_f = time_queries(flat, fq, radius, min(50, fq.shape[0]))
        out["flat"] = {
            "build_s": build_s,
            "queries": int(fq.shape[0]),
            "batch_s": batch_f,
            "lookups_per_s": fq.shape[0] / batch_f,
            "p50_ms": percentile(lat_f, 50),
            "p99_ms": percentile(lat_f, 99),
            "results": int(lims_f[-1]),
        }
        # Flat results for the sampled queries let the TS side check exactness too.
        with open(args.out + ".flat", "wb") as f:
            f.write(np.asarray(lims_f, dtype=np.int64).tobytes())
            f.write(np.asarray(I_f, dtype=np.int64).tobytes())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
