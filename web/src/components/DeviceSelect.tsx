/** A labelled <select> of cameras, microphones or speakers. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceOption } from '../../../src/client/devices.js';

interface Props {
  label: string;
  icon: ReactNode;
  devices: readonly DeviceOption[];
  value: string | null;
  onChange: (deviceId: string) => void;
  testId?: string;
  /** Devices are still being opened: say so instead of "none found". */
  pending?: boolean;
  /** What to say when there is none ("No camera found"). */
  emptyLabel: string;
}

export function DeviceSelect(props: Props) {
  const { label, icon, devices, value, onChange, testId, pending = false, emptyLabel } = props;
  const { t } = useTranslation();
  const empty = devices.length === 0;
  return (
    <label className="device-select">
      <span className="device-icon" aria-hidden="true">
        {icon}
      </span>
      <span className="visually-hidden">{label}</span>
      <select
        data-testid={testId}
        value={empty ? '' : (value ?? devices[0]?.deviceId ?? '')}
        disabled={empty}
        onChange={(event) => onChange(event.target.value)}
      >
        {empty ? <option value="">{pending ? t('prejoin.lookingForDevices') : emptyLabel}</option> : null}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
      </select>
    </label>
  );
}
