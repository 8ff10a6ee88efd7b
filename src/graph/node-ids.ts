import { LapwingError } from "../errors/index.js";

/**
 * Interns string keys (platform account ids) as dense node numbers 0..size-1,
 * the numbering every array in this library is indexed by, and maps them back.
 *
 * @example
 * const ids = new NodeIds();
 * ids.id("acct-42"); // 0
 * ids.id("acct-7");  // 1
 * ids.id("acct-42"); // 0 again
 * ids.key(1);        // "acct-7"
 */
export class NodeIds {
  readonly #numbers = new Map<string, number>();
  readonly #keys: string[] = [];

  /** The node number of `key`, giving it the next number if it is new. */
  id(key: string): number {
    let node = this.#numbers.get(key);
    if (node === undefined) {
      node = this.#keys.length;
      this.#numbers.set(key, node);
      this.#keys.push(key);
    }
    return node;
  }

  /** The node number of `key`, or undefined if it was never interned. */
  get(key: string): number | undefined {
    return this.#numbers.get(key);
  }

  /** The key of node `node`; throws `VALIDATION_FAILED` for a number never handed out. */
  key(node: number): string {
    const key = Number.isInteger(node) ? this.#keys[node] : undefined;
    if (key === undefined) throw new LapwingError("VALIDATION_FAILED", `No node ${node}: node numbers run from 0 to ${this.#keys.length - 1}.`);
    return key;
  }

  /** How many keys are interned (the node count). */
  get size(): number {
    return this.#keys.length;
  }
}
