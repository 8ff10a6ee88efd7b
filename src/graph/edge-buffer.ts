import { LapwingError } from "../errors/index.js";

const DEFAULT_CAPACITY = 1024;

/**
 * A growable list of weighted directed edges held in three parallel typed
 * arrays (sources, targets, weights), so ten million edges cost 120 MB and no
 * object per edge. Feed it to {@link buildCsr}.
 *
 * ## Input rules
 * Endpoints are node numbers, whole numbers from 0 to 2^32 - 1 (check them
 * against the node count happens in `buildCsr`); weights are finite and not
 * negative. Anything else throws a `VALIDATION_FAILED` error at `add`, so a bad
 * edge is reported where it came from, not as a wrong score later.
 *
 * @example
 * const edges = new EdgeBuffer();
 * edges.add(0, 1, 1);
 * edges.add(1, 2, 0.5);
 * edges.length; // 2
 */
export class EdgeBuffer {
  #sources: Uint32Array;
  #targets: Uint32Array;
  #weights: Float32Array;
  #length = 0;

  constructor(initialCapacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 0) {
      throw new LapwingError("VALIDATION_FAILED", `initialCapacity must be a whole number of edges; got ${initialCapacity}.`);
    }
    const capacity = Math.max(1, initialCapacity);
    this.#sources = new Uint32Array(capacity);
    this.#targets = new Uint32Array(capacity);
    this.#weights = new Float32Array(capacity);
  }

  /**
   * Wraps existing arrays (copied) as a buffer: the way in for edges that are
   * already typed arrays, such as a generated scenario. `weights` defaults to 1
   * for every edge.
   */
  static fromArrays(sources: ArrayLike<number>, targets: ArrayLike<number>, weights?: ArrayLike<number>): EdgeBuffer {
    if (sources.length !== targets.length || (weights !== undefined && weights.length !== sources.length)) {
      throw new LapwingError("VALIDATION_FAILED", "sources, targets and weights must have the same length.");
    }
    const buffer = new EdgeBuffer(sources.length);
    for (let i = 0; i < sources.length; i++) buffer.add(sources[i], targets[i], weights === undefined ? 1 : weights[i]);
    return buffer;
  }

  /** Number of edges added. */
  get length(): number {
    return this.#length;
  }

  /** Source nodes of the edges added so far (a view: valid until the next `add`). */
  get sources(): Uint32Array {
    return this.#sources.subarray(0, this.#length);
  }

  /** Target nodes of the edges added so far (a view: valid until the next `add`). */
  get targets(): Uint32Array {
    return this.#targets.subarray(0, this.#length);
  }

  /** Weights of the edges added so far (a view: valid until the next `add`). */
  get weights(): Float32Array {
    return this.#weights.subarray(0, this.#length);
  }

  /** Appends the edge `src → dst` with `weight` (duplicates are merged later, by `buildCsr`). */
  add(src: number, dst: number, weight: number): void {
    if (src >>> 0 !== src || dst >>> 0 !== dst) {
      throw new LapwingError("VALIDATION_FAILED", `Edge endpoints must be whole numbers from 0 to 2^32 - 1; got ${src} → ${dst}.`);
    }
    if (!(weight >= 0 && weight < Infinity)) {
      throw new LapwingError("VALIDATION_FAILED", `Edge weights must be finite and not negative; got ${weight} on ${src} → ${dst}.`);
    }
    if (this.#length === this.#sources.length) this.#grow();
    const i = this.#length++;
    this.#sources[i] = src;
    this.#targets[i] = dst;
    this.#weights[i] = weight;
  }

  #grow(): void {
    const capacity = this.#sources.length * 2;
    const sources = new Uint32Array(capacity);
    const targets = new Uint32Array(capacity);
    const weights = new Float32Array(capacity);
    sources.set(this.#sources);
    targets.set(this.#targets);
    weights.set(this.#weights);
    this.#sources = sources;
    this.#targets = targets;
    this.#weights = weights;
  }
}
