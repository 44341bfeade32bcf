/**
 * Background blur's pure parts: the files Convene serves for it (and that they are the ones the
 * package's loader asks for), the blur radius, and the remembered choice (off unless set).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import {
  BLUR_ASSET_FILES,
  BLUR_ASSET_PATH,
  BLUR_LOADER,
  BLUR_MODEL_SELECTION,
  BLUR_PACKAGE,
  blurAssetUrl,
  blurRadius,
  formatBlurPreference,
  parseBlurPreference,
} from '../../src/client/blurAssets.js';

const packageDir = path.dirname(createRequire(import.meta.url).resolve(`${BLUR_PACKAGE}/package.json`));

test('every file Convene serves for blur is in the npm package', () => {
  for (const file of BLUR_ASSET_FILES) assert.ok(existsSync(path.join(packageDir, file)), file);
});

test('the loader asks for no file outside the served list (for our model selection)', () => {
  const loader = readFileSync(path.join(packageDir, BLUR_LOADER), 'utf8');
  const named = new Set(
    [...loader.matchAll(/"([a-z_]+\.(?:tflite|binarypb|js|wasm|data))"/g)].map((m) => m[1] ?? ''),
  );
  assert.ok(named.size >= 4, `the loader names its files: ${[...named].join(', ')}`);
  // The loader names both models and picks one by modelSelection; we serve only ours.
  const otherModel =
    BLUR_MODEL_SELECTION === 1 ? 'selfie_segmentation.tflite' : 'selfie_segmentation_landscape.tflite';
  for (const file of named) {
    if (file === otherModel) continue;
    assert.ok((BLUR_ASSET_FILES as readonly string[]).includes(file), `${file} is served`);
    // Each runtime script comes with its WebAssembly binary.
    if (file.endsWith('_wasm_bin.js')) {
      assert.ok((BLUR_ASSET_FILES as readonly string[]).includes(file.replace(/\.js$/, '.wasm')), file);
    }
  }
});

test('asset URLs are on our own origin, and only for served files', () => {
  assert.equal(blurAssetUrl(BLUR_LOADER), `${BLUR_ASSET_PATH}${BLUR_LOADER}`);
  assert.equal(
    blurAssetUrl('https://cdn.example/npm/x/selfie_segmentation.binarypb'),
    '/blur/selfie_segmentation.binarypb',
  );
  assert.ok(BLUR_ASSET_PATH.startsWith('/') && !BLUR_ASSET_PATH.startsWith('//'));
  assert.throws(() => blurAssetUrl('selfie_segmentation.tflite'), /does not serve/);
  assert.throws(() => blurAssetUrl('../../etc/passwd'), /does not serve/);
});

test('the blur radius follows the frame size within bounds', () => {
  assert.equal(blurRadius(320, 240), 8);
  assert.equal(blurRadius(640, 480), 16);
  assert.equal(blurRadius(480, 640), 16, 'portrait frames alike');
  assert.equal(blurRadius(1280, 720), 24, 'capped');
  assert.equal(blurRadius(100, 80), 4, 'at least 4 px');
  assert.equal(blurRadius(0, 0), 0);
  assert.equal(blurRadius(Number.NaN, 240), 0);
});

test('blur is off unless the remembered choice is exactly "on"', () => {
  assert.equal(parseBlurPreference(null), false);
  assert.equal(parseBlurPreference(''), false);
  assert.equal(parseBlurPreference('true'), false);
  assert.equal(parseBlurPreference('ON'), false);
  assert.equal(parseBlurPreference('on'), true);
  assert.equal(parseBlurPreference(formatBlurPreference(true)), true);
  assert.equal(formatBlurPreference(false), null, 'off removes the key');
});
