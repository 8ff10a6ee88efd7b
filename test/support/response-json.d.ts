// Tests read JSON responses whose shapes the assertions check; typing every
// body would only restate the assertions, so `json()` is `any` in tests.
export {};
declare global {
  interface Response {
    json(): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}
