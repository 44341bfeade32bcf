/**
 * `convene operator add --email E --role intake|reviewer|admin [--name N] [--data-dir DIR]` and
 * `convene operator list [--data-dir DIR]`. Talks to the running server through its admin socket, or,
 * when none runs, opens the database itself. Prints the one-time enrolment link (and its token).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { OperatorService } from './app/cases/OperatorService.js';
import { configFromEnv, loadConfig } from './config.js';
import { askAdminSocket, type AdminRequest } from './server/adminSocket.js';
import { openStore } from './store/Store.js';

const USAGE = `Usage: convene operator add --email EMAIL --role intake|reviewer|admin [--name NAME] [--data-dir DIR]
       convene operator list [--data-dir DIR]`;
const ROLES = ['intake', 'reviewer', 'admin'] as const;

export async function operatorCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const sub = positionals[0];
  if (values.help || (sub !== 'add' && sub !== 'list')) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const config = loadConfig(
    configFromEnv(process.env),
    values['data-dir'] ? { dataDir: values['data-dir'] } : {},
  );
  let request: AdminRequest;
  if (sub === 'add') {
    const role = ROLES.find((r) => r === values.role);
    if (!values.email || !/^[^\s@]+@[^\s@]+$/.test(values.email) || !role) {
      process.stderr.write(
        `convene: operator add needs --email and --role (intake, reviewer or admin)\n${USAGE}\n`,
      );
      return 2;
    }
    request = { cmd: 'operator.add', email: values.email, role, displayName: values.name ?? values.email };
  } else {
    request = { cmd: 'operator.list' };
  }
  const viaServer = await askAdminSocket(config.dataDir, request);
  const reply = viaServer ?? (await direct(config, request));
  if (reply.ok !== true) {
    process.stderr.write(`convene: ${String(reply.message ?? reply.code)}\n`);
    return 1;
  }
  if (request.cmd === 'operator.add') {
    process.stdout.write(
      `Operator added (${values.role}). Send them this one-time enrolment link (valid 72 hours):\n` +
        `${String(reply.enrolmentUrl)}\nenrolment token: ${String(reply.token)}\n`,
    );
  } else {
    for (const op of reply.operators as Array<Record<string, unknown>>) {
      process.stdout.write(
        `${String(op.email)}\t${String(op.role)}\t${op.enrolled ? 'enrolled' : 'pending'}${op.disabled ? '\tdisabled' : ''}\n`,
      );
    }
  }
  return 0;
}

async function direct(
  config: ReturnType<typeof loadConfig>,
  request: AdminRequest,
): Promise<Record<string, unknown>> {
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    logger: pino({ level: 'warn' }),
  });
  try {
    const base = config.publicUrl ?? `http://${config.host}:${config.port}`;
    const operators = new OperatorService(store, () => base);
    if (request.cmd === 'operator.list') return { ok: true, operators: await operators.list() };
    const added = await operators.add(request, { kind: 'system' });
    return { ok: true, operator: added.operator, enrolmentUrl: added.enrolmentUrl, token: added.token };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  } finally {
    await store.close();
  }
}
