// Entry of a media hashing thread (see hash-pool.ts). Worker threads do not
// inherit a loader registered through tsx's API (as bin/lapwing.mjs does), so
// register it here before loading the TypeScript body.
import { register } from "tsx/esm/api";

register();
await import("./hash-thread.ts");
