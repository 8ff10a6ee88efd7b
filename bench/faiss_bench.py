#!/usr/bin/python3
"""FAISS peer for bench/index.ts: same hashes, same queries, exact range search.

Run with Debian's python3-faiss: /usr/bin/python3 bench/faiss_bench.py --data D --queries Q ...
One index per process, so that each configuration's build time and memory are its own
(a freed index would otherwise leave its pages to the next one and hide its RSS):

  --index multihash --nhash 11 --bits 23 --nflip 2   IndexBinaryMultiHash
  --index flat --flat-queries 100                     IndexBinaryFlat (brute force)

Hashes are raw 32-byte codes (the TS side writes its Uint32 words as-is; Hamming
distance does not depend on bit order, and MultiHash's tables take disjoint bit
ranges, so the pigeonhole guarantee holds whatever the order).

Every query is timed on its own, in order, over the whole query set (the TS side
does the same for Lapwing), after the same 200-query warm-up; the batched call is
timed too. Writes the per-query results (lims int64, ids int64) to --out and the
per-query latencies (float64 ms) to --out.lat; prints one JSON object.
"""
import argparse
import json
import time

import numpy as np
import faiss

WARMUP = 200


def status_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def time_each(index, queries, radius):
    """Per-query range searches over every query; returns (lims, ids, latencies ms, wall s, cpu s)."""
    for i in range(min(WARMUP, queries.shape[0])):
        index.range_search(queries[i : i + 1], radius)
    n = queries.shape[0]
    lat = np.empty(n, dtype=np.float64)
    ids = []
    lims = np.zeros(n + 1, dtype=np.int64)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for i in range(n):
        t = time.perf_counter()
        _l, _d, found = index.range_search(queries[i : i + 1], radius)
        lat[i] = (time.perf_counter() - t) * 1e3
        ids.append(found)
        lims[i + 1] = lims[i] + found.shape[0]
    wall_s = time.perf_counter() - t0
    cpu_s = time.process_time() - c0
    return lims, np.concatenate(ids).astype(np.int64) if ids else np.zeros(0, np.int64), lat, wall_s, cpu_s


def time_batch(index, queries, radius):
    t0 = time.perf_counter()
    c0 = time.process_time()
    lims, _d, _i = index.range_search(queries, radius)
    return time.perf_counter() - t0, time.process_time() - c0, int(lims[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--index", choices=["multihash", "flat"], default="multihash")
    ap.add_argument("--max-distance", type=int, default=31)
    ap.add_argument("--nhash", type=int, default=16)
    ap.add_argument("--bits", type=int, default=16)
    ap.add_argument("--nflip", type=int, default=1)
    ap.add_argument("--flat-queries", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    faiss.omp_set_num_threads(args.threads)
    d = 256
    # FAISS binary range_search returns distances strictly below the radius.
    radius = args.max_distance + 1
    data = np.fromfile(args.data, dtype=np.uint8).reshape(-1, 32)
    queries = np.fromfile(args.queries, dtype=np.uint8).reshape(-1, 32)
    if args.index == "flat":
        # Brute force is slow at 10M: a sample from both halves (planted, random).
        half = queries.shape[0] // 2
        k = args.flat_queries // 2
        queries = np.ascontiguousarray(np.concatenate([queries[:k], queries[half : half + k]]))
    out = {"faiss_version": faiss.__version__, "threads": args.threads, "n": int(data.shape[0]), "queries": int(queries.shape[0]), "index": args.index}

    rss0 = status_mib("VmRSS")
    hwm0 = status_mib("VmHWM")
    t0 = time.perf_counter()
    if args.index == "multihash":
        # nhash tables over disjoint ranges of `bits` bits, each probed within
        # Hamming radius nflip: exact up to nhash * (nflip + 1) - 1 (pigeonhole).
        index = faiss.IndexBinaryMultiHash(d, args.nhash, args.bits)
        index.nflip = args.nflip
        out["config"] = f"{args.nhash}x{args.bits}:{args.nflip}"
    else:
        index = faiss.IndexBinaryFlat(d)
        out["config"] = "flat"
    index.add(data)
    out["build_s"] = time.perf_counter() - t0
    out["rss_delta_mib"] = status_mib("VmRSS") - rss0
    out["peak_delta_mib"] = status_mib("VmHWM") - hwm0

    lims, ids, lat, wall_s, cpu_s = time_each(index, queries, radius)
    n = queries.shape[0]
    out["lookups_per_s"] = n / wall_s
    out["lookups_per_cpu_s"] = n / cpu_s
    out["results"] = int(lims[-1])
    batch_s, batch_cpu_s, batch_results = time_batch(index, queries, radius)
    out["batch_lookups_per_s"] = n / batch_s
    out["batch_lookups_per_cpu_s"] = n / batch_cpu_s
    if batch_results != out["results"]:
        raise SystemExit(f"batched search found {batch_results} results, per-query {out['results']}")
    with open(args.out, "wb") as f:
        f.write(lims.tobytes())
        f.write(ids.tobytes())
    lat.tofile(args.out + ".lat")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
