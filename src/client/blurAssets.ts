/**
 * What background blur needs from the server and the pure decisions around it. No DOM here: the
 * Vite build (vite.config.ts), the unit tests and the browser code all read the same list, so the
 * files the build copies are exactly the files the browser asks for.
 */

/** The npm package that ships the person-segmentation model and its WebAssembly runtime. */
export const BLUR_PACKAGE = '@mediapipe/selfie_segmentation';

/** Where Convene serves that package's files, on its own origin (never a CDN). */
export const BLUR_ASSET_PATH = '/blur/';

/** The classic script that defines the global `SelfieSegmentation` (loaded by a <script> element). */
export const BLUR_LOADER = 'selfie_segmentation.js';

/**
 * 1 = the "landscape" model (144x256 input): made for video calls and cheaper than the square one.
 * The loader asks only for the model of the selection it is given.
 */
export const BLUR_MODEL_SELECTION = 1;

/**
 * Every file the loader may request: the graph, the model of our selection, and the runtime with
 * and without WebAssembly SIMD (the loader picks one by testing the browser).
 */
export const BLUR_ASSET_FILES = [
  BLUR_LOADER,
  'selfie_segmentation.binarypb',
  'selfie_segmentation_landscape.tflite',
  'selfie_segmentation_solution_simd_wasm_bin.js',
  'selfie_segmentation_solution_simd_wasm_bin.wasm',
  'selfie_segmentation_solution_wasm_bin.js',
  'selfie_segmentation_solution_wasm_bin.wasm',
] as const;

/** The URL of one of those files; anything else is a programming error caught here, not a 404. */
export function blurAssetUrl(file: string): string {
  const name = file.replace(/^.*\//, '');
  if (!(BLUR_ASSET_FILES as readonly string[]).includes(name)) {
    throw new Error(`Background blur asked for a file Convene does not serve: ${name}`);
  }
  return `${BLUR_ASSET_PATH}${name}`;
}

/**
 * The blur radius in pixels for a frame: proportional to its size, so a 320x240 and a 1280x720
 * camera look alike (faces behind the person stay unrecognisable), within bounds that keep small
 * frames readable and large frames affordable.
 */
export function blurRadius(width: number, height: number): number {
  const side = Math.max(width, height);
  if (!Number.isFinite(side) || side <= 0) return 0;
  return Math.min(24, Math.max(4, Math.round(side / 40)));
}

/** The remembered choice: only the exact string `on` turns blur on, so it is off by default. */
export function parseBlurPreference(stored: string | null): boolean {
  return stored === 'on';
}

export function formatBlurPreference(on: boolean): string | null {
  return on ? 'on' : null;
}

/** Where blur stands for the UI: off, the model is loading, running, or it failed to start. */
export type BlurStatus = 'off' | 'loading' | 'on' | 'failed';
