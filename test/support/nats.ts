// Test support: a JetStream stream of its own per test on the NATS server these machines run
// (LAPWING_TEST_NATS_URL, default nats://127.0.0.1:4222); tests say so when it is unreachable.
import { connect, type NatsConnection } from "nats";

export const testNatsUrl = process.env.LAPWING_TEST_NATS_URL ?? "nats://127.0.0.1:4222";

let reachable: Promise<string | null> | undefined;

/** Resolves to null when a JetStream server answers, else to the reason it does not. */
export function natsUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    try {
      const nc = await connect({ servers: testNatsUrl, timeout: 3000 });
      try {
        await (await nc.jetstreamManager()).getAccountInfo();
      } finally {
        await nc.close();
      }
      return null;
    } catch (error) {
      return `NATS JetStream not reachable at ${testNatsUrl} (${(error as Error).message}); set LAPWING_TEST_NATS_URL`;
    }
  })();
  return reachable;
}

export interface TestStream {
  readonly name: string;
  /** The stream's subjects are `${name}.>`; events go to `${name}.events`. */
  readonly subject: string;
  readonly nc: NatsConnection;
  /** Publishes each payload (a string or an object as JSON), waiting for the stream to store it. */
  publish(payloads: ReadonlyArray<string | object>): Promise<void>;
  drop(): Promise<void>;
}

/** Creates a stream with a unique name; `drop` deletes it (and its consumers) and disconnects. */
export async function createTestStream(): Promise<TestStream> {
  const nc = await connect({ servers: testNatsUrl });
  const name = `LW_TEST_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  const js = nc.jetstream();
  const subject = `${name}.events`;
  return {
    name,
    subject,
    nc,
    async publish(payloads) {
      // Publish in windows: acks awaited together, so 20k messages take a second, not twenty.
      for (let i = 0; i < payloads.length; i += 500) {
        await Promise.all(payloads.slice(i, i + 500).map((p) => js.publish(subject, typeof p === "string" ? p : JSON.stringify(p))));
      }
    },
    async drop() {
      await jsm.streams.delete(name).catch(() => {});
      await nc.close();
    },
  };
}
