/**
 * `bench:mls-browser --profile=OP`: V8 CPU profiles of the page's main thread during every operation OP,
 * summed by the source module each sampled frame came from. esbuild marks every module of the
 * (unminified) bundle with a `// path/to/module.ts` line, so a frame's line number names its module.
 * Native WebCrypto calls show as their own entries ("(generateKey)", "(deriveBits)"): the time the main
 * thread spends in them; work Chromium does on its crypto thread afterwards is not sampled here.
 */

/** The parts of a CDP `Profiler.Profile` used here. */
export interface Profile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

interface ModuleStart {
  line: number;
  name: string;
}

/** Start lines (0-based) and names of the bundle's modules, in order. */
function moduleStarts(bundle: string): ModuleStart[] {
  const out: ModuleStart[] = [];
  bundle.split('\n').forEach((text, line) => {
    const m = /^\/\/ (\S+\.(?:ts|js|mjs))$/.exec(text);
    if (m) out.push({ line, name: m[1]!.replace(/^(\.\.\/)*(main\/)?/, '') });
  });
  return out;
}

function moduleAt(starts: ModuleStart[], line: number): string {
  let name = '(bundle prelude)';
  for (const s of starts) {
    if (s.line > line) break;
    name = s.name;
  }
  return name;
}

export interface ProfileSummary {
  /** How many profiles were summed. */
  profiles: number;
  /** Sampled main-thread ms that were not idle. */
  busyMs: number;
  /** Self ms by module (V8's and native entries by name, e.g. "(garbage collector)"), largest first. */
  selfByModule: [string, number][];
  /** For samples with a frame of one of `modules` on their stack: their ms, and self ms by module. */
  within: { modules: string[]; ms: number; selfByModule: [string, number][] };
}

const IDLE = new Set(['(idle)', '(program)', '(root)']);

/**
 * Sums profiles by module; `within` are module path suffixes, e.g. 'src/e2ee/mls/hpke.ts'. A stack
 * resumed after an `await` starts at the resumed function, so "within" counts only what a module's
 * functions run themselves, and what they call, until they first wait.
 */
export function summarizeProfiles(profiles: Profile[], bundle: string, within: string[]): ProfileSummary {
  const starts = moduleStarts(bundle);
  const self = new Map<string, number>();
  const withinSelf = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  let busy = 0;
  let withinMs = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const moduleOf = (id: number): string => {
      const f = nodes.get(id)!.callFrame;
      if (!f.url) return `(${f.functionName.replace(/^\(|\)$/g, '') || 'native'})`;
      return f.url.endsWith('/page.js') ? moduleAt(starts, f.lineNumber) : f.url;
    };
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      // V8 records before each sample the time since the previous one: a sample lasts until the next.
      const ms = (deltas[i + 1] ?? 0) / 1000;
      const leaf = samples[i]!;
      const mod = moduleOf(leaf);
      if (IDLE.has(mod)) continue;
      busy += ms;
      add(self, mod, ms);
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const m = moduleOf(id);
        if (within.some((w) => m.endsWith(w))) {
          withinMs += ms;
          add(withinSelf, mod, ms);
          break;
        }
      }
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    profiles: profiles.length,
    busyMs: busy,
    selfByModule: sorted(self),
    within: { modules: within, ms: withinMs, selfByModule: sorted(withinSelf) },
  };
}

export function printProfileSummary(s: ProfileSummary, op: string, top = 12): void {
  const table = (xs: [string, number][], total: number, share: string) => {
    console.log(`| module | self ms, each | ${share} |\n|---|---:|---:|`);
    for (const [m, ms] of xs.slice(0, top))
      console.log(`| ${m} | ${(ms / s.profiles).toFixed(1)} | ${((100 * ms) / total).toFixed(1)}% |`);
  };
  console.log(
    `\nPage main thread, sampled CPU profiles of every '${op}' (${s.profiles}): ` +
      `${(s.busyMs / s.profiles).toFixed(0)} ms busy each. Self time by module:\n`,
  );
  table(s.selfByModule, s.busyMs, 'share');
  console.log(
    `\nSamples with ${s.within.modules.join(' or ')} on the stack: ${(s.within.ms / s.profiles).toFixed(0)} ms ` +
      `each (${((100 * s.within.ms) / s.busyMs).toFixed(1)}%). Their self time by module:\n`,
  );
  table(s.within.selfByModule, s.within.ms, 'share of those');
}
