import { findAll, vocabularyOf, type AdvertText, type Evidence } from "./evidence.js";

const CASHTAG = /(?<![\w$])\$[A-Za-z][A-Za-z0-9_-]{2,19}\b/gu;
const PAYPAL_ME = /\bpaypal ?me [a-z0-9]/gu;
const CRYPTO_ADDRESS = /\b(?:bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33}|[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93})\b/gu;
// A three-letter currency code is a cashtag's look-alike, not a handle.
const NOT_CASHTAGS = new Set(["usd", "eur", "gbp", "cad", "aud", "btc", "eth"]);

/**
 * `payment-handle`: where money goes. Cashtags ("$name"), paypal.me links,
 * crypto addresses and coins, gift cards (weighted as untraceable), and
 * ordinary wallets named (PayPal, Venmo, Zelle: weak alone).
 */
export function paymentEvidence(text: AdvertText, out: Evidence[]): void {
  const o = text.original;
  for (const { hit, kind } of vocabularyOf(text, "payment")) {
    const untraceable = kind === "untraceable";
    out.push({ signal: "payment-handle", weight: untraceable ? 1.0 : 0.4, start: hit.start, end: hit.end, label: untraceable ? "crypto or gift-card payment" : "a payment app" });
  }
  findAll(text.raw, o, CASHTAG, (m) => (NOT_CASHTAGS.has(m[0].slice(1).toLowerCase()) ? undefined : { signal: "payment-handle", weight: 0.7, label: "a cashtag" }), out);
  findAll(text.folded, o, PAYPAL_ME, () => ({ signal: "payment-handle", weight: 0.7, label: "a paypal.me link" }), out);
  findAll(text.raw, o, CRYPTO_ADDRESS, () => ({ signal: "payment-handle", weight: 1.2, label: "a crypto wallet address" }), out);
}
