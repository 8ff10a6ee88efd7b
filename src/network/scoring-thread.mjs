// Entry of the network scoring thread (see scorer.ts). Worker threads do not
// inherit a loader registered through tsx's API (as bin/lapwing.mjs does), so
// register it here before loading the TypeScript body.
import { register } from "tsx/esm/api";

register();
await import("./scoring-thread.ts");
