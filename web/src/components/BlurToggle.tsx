/**
 * The background blur switch, in the pre-join screen and the device menu. Off by default; the choice
 * is remembered (prefs.ts). While the model loads, and when it cannot start, a status line says so;
 * a failure leaves the plain camera on.
 */
import { useTranslation } from 'react-i18next';
import type { LocalMedia } from '../../../src/client/LocalMedia.js';
import { useLocalMediaState } from '../hooks.js';
import { prefs } from '../prefs.js';

interface Props {
  localMedia: LocalMedia;
  /** `prejoin` or `device`: the switch is `<prefix>-blur-toggle`, its status `<prefix>-blur-status`. */
  testIdPrefix: string;
}

export function BlurToggle({ localMedia, testIdPrefix }: Props) {
  const { t } = useTranslation();
  const { blur } = useLocalMediaState(localMedia);
  const status =
    blur === 'loading' ? t('devices.blurLoading') : blur === 'failed' ? t('devices.blurFailed') : '';
  return (
    <div className="blur-toggle">
      <label className="toggle-row">
        <input
          type="checkbox"
          role="switch"
          data-testid={`${testIdPrefix}-blur-toggle`}
          checked={blur === 'on' || blur === 'loading'}
          onChange={(event) => {
            const on = event.target.checked;
            prefs.setBackgroundBlur(on);
            void localMedia.setBackgroundBlur(on);
          }}
        />
        <span className="toggle-switch" aria-hidden="true" />
        <span className="toggle-text">
          <span className="toggle-label">{t('devices.blur')}</span>
          <span className="field-hint">{t('devices.blurHint')}</span>
        </span>
      </label>
      <p
        className={blur === 'failed' ? 'device-note blur-failed' : 'device-note'}
        role="status"
        data-testid={`${testIdPrefix}-blur-status`}
        data-blur={blur}
      >
        {status}
      </p>
    </div>
  );
}
