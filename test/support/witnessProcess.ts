/** `convene witness` as an operator runs it: the real command in a child process, for tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

export interface RunningWitness {
  child: ChildProcessWithoutNullStreams;
  url: string;
  vkey: string;
  stdout: string;
}

/** Starts the command with `args`; resolves once it has printed its key and address. */
export function startWitnessProcess(args: string[]): Promise<RunningWitness> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'witness', ...args]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      stdout += String(d);
      const key = /Witness verifier key: (\S+)/.exec(stdout);
      const url = /at (http:\/\/\S+)\/add-checkpoint/.exec(stdout);
      if (key && url) resolve({ child, url: url[1]!, vkey: key[1]!, stdout });
    });
    child.on('exit', (code) => reject(new Error(`witness exited with ${code}: ${stderr}`)));
  });
}

/** Stops it with SIGTERM; resolves with its exit code. */
export function stopWitnessProcess(r: RunningWitness): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.removeAllListeners('exit');
    r.child.on('exit', (code) => resolve(code));
    r.child.kill('SIGTERM');
  });
}
