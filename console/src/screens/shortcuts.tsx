import type { ScreenProps } from "../routes";
import { Link } from "../router";

/** Every key the console answers to; each screen also shows its own at the bottom. */
export default function Shortcuts(_props: ScreenProps) {
  const rows: Array<[string, string, string]> = [
    ["Queue", "n", "claim the next free case (with the queue's filters) and open it"],
    ["Queue", "j / k", "move the selection down / up"],
    ["Queue", "o", "open the selected case"],
    ["Case", "n", "claim and open the next case"],
    ["Case", "a", "claim this case"],
    ["Case", "c", "confirm… (asks for the category; Enter confirms, Esc cancels)"],
    ["Case", "d", "dismiss: reverse every automated action"],
    ["Case", "e", "escalate to a senior reviewer"],
    ["Case", "s", "safeguard… (asks first)"],
    ["Case", "r", "reveal the next media item (recorded in the audit log)"],
    ["Case", "b", "blur media again"],
    ["Case", "q", "back to the queue"],
    ["Anywhere", "?", "this list"],
  ];
  return (
    <section aria-labelledby="shortcuts-title">
      <h1 id="shortcuts-title">Keyboard shortcuts</h1>
      <p className="muted">Keys are ignored while you type in a field. Deciding a case you have not claimed claims it first.</p>
      <table>
        <thead>
          <tr>
            <th>Where</th>
            <th>Key</th>
            <th>What it does</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([where, key, what]) => (
            <tr key={where + key}>
              <td>{where}</td>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <Link to="/">Back to the queue</Link>
      </p>
    </section>
  );
}
