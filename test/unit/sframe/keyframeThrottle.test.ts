import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyframeRequestThrottle } from '../../../src/client/e2ee/keyframeThrottle.js';

test('keyframe requests: one per second per receiver, however many frames are dropped', () => {
  let t = 50_000;
  const throttle = new KeyframeRequestThrottle(1000, () => t);
  const other = new KeyframeRequestThrottle(1000, () => t);
  const answers: boolean[] = [];
  // 30 dropped frames per second for 3 seconds.
  for (let i = 0; i < 90; i++) {
    answers.push(throttle.keyframeRequestAllowed());
    t += 1000 / 30;
  }
  assert.equal(answers.filter(Boolean).length, 3);
  assert.equal(answers[0], true, 'the first drop asks at once');
  assert.equal(other.keyframeRequestAllowed(), true, 'receivers are throttled independently');
});

test('keyframe requests: allowed again exactly one interval after the last allowed one', () => {
  let t = 0;
  const throttle = new KeyframeRequestThrottle(1000, () => t);
  assert.equal(throttle.keyframeRequestAllowed(), true);
  t = 999;
  assert.equal(throttle.keyframeRequestAllowed(), false);
  t = 1000;
  assert.equal(throttle.keyframeRequestAllowed(), true);
  t = 1500;
  assert.equal(throttle.keyframeRequestAllowed(), false);
});
