/**
 * Page side of bench:mls-browser (bundled with esbuild for the browser): runs bench/mlsScenario.ts on
 * the page's main thread, where the web client runs MLS too (src/client/e2ee/MlsSession.ts, owned by
 * E2eeController; only SFrame runs in a worker). CPU readings come from the driver, which reads the
 * renderer's threads in /proc, through bindings the driver exposes before the page loads.
 */
import { platformX25519 } from '../src/e2ee/mls/x25519.js';
import { runMlsScenario, type PoolMode, type Sample, type SizeResult } from './mlsScenario.js';

export interface MlsBenchOptions {
  sizes: number[];
  batch: number;
  reps: number;
  pool: PoolMode;
}

export interface MlsBenchPage {
  /** Which X25519 the MLS code picked here ('webcrypto' in Chromium). */
  x25519(): Promise<string>;
  /** Keeps the main thread busy for `ms` (so the driver can tell which renderer is this page's). */
  spin(ms: number): void;
  /** CPU and wall of an empty measurement: what reading the clock itself costs the renderer. */
  clockOverhead(): Promise<Sample>;
  /** Runs the scenario; operations titled `profileOp` (e.g. 'remove 1: commit') run in console.profile. */
  run(options: MlsBenchOptions, profileOp?: string): Promise<SizeResult[]>;
}

interface Bindings {
  rendererCpuMs(): Promise<number>;
  mlsProgress(result: SizeResult): Promise<void>;
}

const w = window as unknown as Bindings & { mlsBench: MlsBenchPage };

w.mlsBench = {
  x25519: async () => (await platformX25519()).name,
  spin(ms) {
    const end = performance.now() + ms;
    while (performance.now() < end);
  },
  async clockOverhead() {
    const samples: Sample[] = [];
    for (let i = 0; i < 21; i++) {
      const cpu0 = await w.rendererCpuMs();
      const t0 = performance.now();
      const wall = performance.now() - t0;
      samples.push({ wall, cpu: (await w.rendererCpuMs()) - cpu0 });
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[10]!;
    return { wall: mid(samples.map((s) => s.wall)), cpu: mid(samples.map((s) => s.cpu)) };
  },
  run: (options, profileOp) =>
    runMlsScenario({
      ...options,
      cpuMs: () => w.rendererCpuMs(),
      onSize: (r) => w.mlsProgress(r),
      around: async (op, fn) => {
        if (op !== profileOp) return fn();
        console.profile(op);
        try {
          return await fn();
        } finally {
          console.profileEnd(op);
        }
      },
    }),
};
