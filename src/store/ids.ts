import { randomBytes } from "node:crypto";

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32

// The last random part issued for each recent millisecond. Keyed by time, not just "the last one",
// because callers pass their own clocks (tests pin one while the queue uses the real time).
const lastRandomAt = new Map<number, number[]>();
const rememberedTimes = 64;

/**
 * A ULID-shaped id: 10 characters of millisecond time then 16 of randomness,
 * so ids sort by creation time and need no database sequence. Within one
 * millisecond this process's ids still sort in creation order (the random
 * part of the previous id plus one, as monotonic ULIDs do), so rows written
 * together — a case's decisions, say — list in the order they were made.
 */
export function newId(now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random: number[];
  const previous = lastRandomAt.get(now);
  if (previous) {
    random = previous.slice();
    // Add one in base 32, carrying; 80 random bits do not run out within a millisecond.
    for (let i = random.length - 1; i >= 0; i--) {
      random[i] = (random[i]! + 1) % 32;
      if (random[i] !== 0) break;
    }
  } else {
    const bytes = randomBytes(16);
    // The top digit stays below 16, leaving room to count up without wrapping.
    random = Array.from(bytes, (b, i) => (i === 0 ? b % 16 : b % 32));
  }
  lastRandomAt.delete(now);
  lastRandomAt.set(now, random);
  if (lastRandomAt.size > rememberedTimes) lastRandomAt.delete(lastRandomAt.keys().next().value!);
  return time + random.map((d) => alphabet[d]).join("");
}
