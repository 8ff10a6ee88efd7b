export { seededRandom } from "./seeded-random.js";
export { Dice } from "./dice.js";
export { shuffleInPlace } from "./shuffle.js";
