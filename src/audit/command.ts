/**
 * `convene audit verify <url-or-dir> [--key VKEY] [--witness VKEY]... [--previous FILE] [--save FILE]`
 *
 * Exit codes: 0 every check passed; 1 a check failed (the log, a signature, consistency, or the
 * published report does not match); 2 usage error.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { VerifyProgress } from '../ledger/index.js';
import { auditLog, type AuditOptions } from './audit.js';
import { dirSource, httpSource } from './sources.js';
import { ReportAheadError, dirReports, httpReports, reportChecks } from './reportCheck.js';

const USAGE = `Usage: convene audit verify <url-or-dir> [--key VERIFIER-KEY] [--witness VERIFIER-KEY]...
                            [--previous CHECKPOINT-FILE] [--save CHECKPOINT-FILE] [--quiet]`;

function progressBar(stream: NodeJS.WriteStream): (p: VerifyProgress) => void {
  let last = '';
  return (p) => {
    const width = 30;
    const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
    const line = `${p.phase.padEnd(11)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}`;
    if (line === last) return;
    last = line;
    stream.write(`\r${line}`);
    if (p.done === p.total) stream.write('\n');
  };
}

export async function runAuditCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string' },
        witness: { type: 'string', multiple: true },
        previous: { type: 'string' },
        save: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] !== 'verify' || positionals.length !== 2) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const target = positionals[1]!;
  const isUrl = /^https?:\/\//.test(target);
  const source = isUrl ? httpSource(target) : dirSource(target);
  const options: AuditOptions = {
    logKey: values.key,
    witnessKeys: values.witness ?? [],
    previous: values.previous ? await readFile(values.previous, 'utf8') : undefined,
    checkEntries: (entries) =>
      reportChecks(entries, isUrl ? httpReports(httpSource(target).base) : dirReports(target)),
  };
  // A progress bar on a terminal; nothing on a pipe (the summary is what a script reads).
  if (process.stderr.isTTY && !values.quiet) options.onProgress = progressBar(process.stderr);
  // The report may be read a moment before its entries are in a signed checkpoint (signed every
  // second or so): then the whole audit runs again on a newer checkpoint, a few times at most.
  let result: Awaited<ReturnType<typeof auditLog>> | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await auditLog(source, options);
      break;
    } catch (err) {
      if (err instanceof ReportAheadError && attempt < 5) {
        process.stderr.write(`${err.message}; waiting for a newer checkpoint\n`);
        await new Promise((r) => setTimeout(r, 1500));
        continue;
      }
      process.stderr.write(`audit failed: ${(err as Error).message}\n`);
      return 1;
    }
  }
  for (const c of result.checks) {
    if (!values.quiet || !c.ok) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
  }
  if (result.ok && values.save && result.checkpoint) await writeFile(values.save, result.checkpoint);
  process.stdout.write(
    result.ok
      ? `The log of ${source.name} verifies: ${result.size} entries.\n`
      : `The log of ${source.name} does NOT verify.\n`,
  );
  return result.ok ? 0 : 1;
}
