import { Command, Option } from "commander";
import { LapwingError } from "../../errors/index.js";
import type { User } from "../../users/index.js";
import { printJson, withServices } from "../context.js";
import { auditActor, roles, type Role } from "../vocabulary.js";

/**
 * `lapwing users …`: console users. A password is never a command-line
 * argument (it would sit in the shell history and in `ps`): it is typed at a
 * hidden prompt, or piped with `--password-stdin`.
 */
export function usersCommand(): Command {
  const users = new Command("users").description("Create, list and disable console users (people who log in to the console)");
  const roleOption = () => new Option("--role <role>", "what the user may do").choices(roles).makeOptionMandatory();

  users
    .command("create")
    .description("Create a console user; the password is prompted for (hidden), or read from stdin with --password-stdin")
    .requiredOption("--username <username>", "what the person types to log in (stored in lower case)")
    .addOption(roleOption())
    .option("--password-stdin", "read the password from standard input (for scripts), not a prompt")
    .option("--json", "print the user as JSON")
    .action(async (options: { username: string; role: Role; passwordStdin?: boolean; json?: boolean }, command: Command) => {
      const password = await readNewPassword(options.passwordStdin === true);
      await withServices(command, async (services) => {
        const created = await services.users.create({ username: options.username, password, role: options.role }, auditActor.cli);
        if (options.json) return printJson(created);
        process.stdout.write(`Created ${created.role} "${created.username}" (${created.id}). They log in with POST /v1/session.\n`);
      }, { create: true });
    });

  users
    .command("list")
    .description("List console users and their roles (never their passwords)")
    .option("--json", "one JSON object per user")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withServices(command, async (services) => {
        const all = await services.users.list();
        if (options.json) return all.forEach(printJson);
        if (all.length === 0) return void process.stdout.write("No console users yet; create one with `lapwing users create --username NAME --role admin`.\n");
        for (const user of all) process.stdout.write(line(user));
      });
    });

  users
    .command("disable")
    .description("Disable a user and end their sessions at once")
    .argument("<user>", "username or id")
    .action(async (user: string, _options: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const disabled = await services.users.disable(user, auditActor.cli);
        process.stdout.write(`Disabled "${disabled.username}"; their sessions have ended.\n`);
      });
    });

  users
    .command("enable")
    .description("Let a disabled user log in again")
    .argument("<user>", "username or id")
    .action(async (user: string, _options: unknown, command: Command) => {
      await withServices(command, async (services) => {
        const enabled = await services.users.enable(user, auditActor.cli);
        process.stdout.write(`Enabled "${enabled.username}".\n`);
      });
    });

  users
    .command("set-role")
    .description("Change a user's role (it applies to their open sessions at once)")
    .argument("<user>", "username or id")
    .addOption(roleOption())
    .action(async (user: string, options: { role: Role }, command: Command) => {
      await withServices(command, async (services) => {
        const changed = await services.users.setRole(user, options.role, auditActor.cli);
        process.stdout.write(`"${changed.username}" is now ${changed.role}.\n`);
      });
    });

  users
    .command("password")
    .description("Set a new password for a user (a reset); their sessions end")
    .argument("<user>", "username or id")
    .option("--password-stdin", "read the password from standard input (for scripts), not a prompt")
    .action(async (user: string, options: { passwordStdin?: boolean }, command: Command) => {
      const password = await readNewPassword(options.passwordStdin === true);
      await withServices(command, async (services) => {
        const changed = await services.users.changePassword(user, password, auditActor.cli);
        process.stdout.write(`Set a new password for "${changed.username}"; their sessions have ended.\n`);
      });
    });

  return users;
}

function line(user: User): string {
  return `${user.id}  ${user.username.padEnd(24)}  ${user.role.padEnd(21)}  ${user.disabledAt ? `disabled ${user.disabledAt}` : `since ${user.createdAt}`}\n`;
}

async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    // One trailing newline is how `echo` and here-strings end; it is not part of the password.
    return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  }
  if (!process.stdin.isTTY) {
    throw new LapwingError("VALIDATION_FAILED", "No terminal to ask for the password on; pipe it in with --password-stdin.");
  }
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Repeat it: ");
  if (first !== second) throw new LapwingError("VALIDATION_FAILED", "The two passwords differ; nothing was changed.");
  return first;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
        if (ch === "\u0003") return finish(new LapwingError("VALIDATION_FAILED", "Cancelled; nothing was changed."));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else value += ch;
      }
    };
    input.on("data", onData);
  });
}
