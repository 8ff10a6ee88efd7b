import { useState } from "react";
import { call } from "../api/http";
import { useAsync } from "../components/use-async";
import type { ScreenProps } from "../routes";
import { errorText, type DeadJob } from "./api";
import { AdminTabs } from "./tabs";

/** Webhook deliveries that failed on every attempt (the dead-letter list), each with a replay. */
export default function Webhooks(_props: ScreenProps) {
  const dead = useAsync(() => call<{ jobs: DeadJob[] }>("deadJobs", { query: { queue: "webhooks", limit: 200 } }), []);
  const [note, setNote] = useState<string | null>(null);
  const replay = async (job: DeadJob) => {
    try {
      await call("retryJob", { params: { id: job.id } });
      setNote(`Delivery ${job.key} is queued again, its attempts reset.`);
      dead.reload();
    } catch (error) {
      setNote(errorText(error));
    }
  };
  return (
    <section aria-labelledby="webhooks-title">
      <AdminTabs />
      <h1 id="webhooks-title">Webhooks</h1>
      <p className="muted small">Actions are POSTed to LAPWING_WEBHOOK_URL, signed; a delivery that fails on every attempt lands here until someone replays it (docs/actions.md).</p>
      {note && <p className="ok-note" role="status">{note}</p>}
      {dead.status === "error" && <p className="problem">{errorText(dead.error)}</p>}
      <table data-testid="dead-letters">
        <thead>
          <tr>
            <th>Action</th>
            <th className="num">Attempts</th>
            <th>Last error</th>
            <th>Failed at</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(dead.value?.jobs ?? []).map((job) => (
            <tr key={job.id}>
              <td>
                <code>{job.key}</code>
              </td>
              <td className="num">{job.attempts}</td>
              <td className="small">{job.lastError}</td>
              <td className="small">{job.finishedAt ? new Date(job.finishedAt).toLocaleString() : ""}</td>
              <td>
                <button type="button" onClick={() => void replay(job)}>
                  Replay
                </button>
              </td>
            </tr>
          ))}
          {dead.status === "ok" && dead.value.jobs.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No failed delivery is waiting.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
