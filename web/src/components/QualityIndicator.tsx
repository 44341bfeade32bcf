/** Connection quality bars on a remote tile, with the numbers on hover or keyboard focus. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatPercent } from '../i18n/index.js';
import type { QualitySample } from '../room/networkQuality.js';

export function QualityIndicator({ sample }: { sample: QualitySample | undefined }) {
  const { t } = useTranslation();
  const tipId = useId();
  const level = sample?.level ?? 'unknown';
  const label = t('quality.label', { level: t(`quality.${level}`) });
  const rtt =
    sample?.rttMs === null || sample?.rttMs === undefined ? '—' : formatNumber(Math.round(sample.rttMs));
  const detail = sample
    ? sample.fps !== null
      ? t('quality.detail', {
          loss: formatPercent(sample.loss),
          rtt,
          fps: formatNumber(Math.round(sample.fps)),
        })
      : t('quality.detailNoVideo', { loss: formatPercent(sample.loss), rtt })
    : null;
  return (
    <span className="quality" data-testid="network-quality" data-level={level}>
      <button
        type="button"
        className="quality-button"
        aria-label={label}
        aria-describedby={detail ? tipId : undefined}
      >
        <span className="quality-bars" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
      </button>
      {detail ? (
        <span className="quality-tip" role="tooltip" id={tipId}>
          <strong>{label}</strong>
          <span>{detail}</span>
        </span>
      ) : null}
    </span>
  );
}
