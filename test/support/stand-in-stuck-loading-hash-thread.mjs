// A stand-in for src/known-media/hash-thread.mjs that never finishes loading:
// it never says "ready" nor answers a job, but stays alive, so the pool's time
// limit must cover a thread stuck before it is ready.
setInterval(() => {}, 60_000);
