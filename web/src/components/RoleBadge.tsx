/** Host / Co-host / Panelist badges for the roster and the video tiles (nothing for others). */
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../src/client/types.js';
import { t } from '../i18n/index.js';

const LABELS: Partial<Record<Role, string>> = {
  host: 'roles.host',
  cohost: 'roles.cohost',
  panelist: 'roles.panelist',
};

export function roleLabel(role: Role): string | null {
  const key = LABELS[role];
  return key ? t(key) : null;
}

export function RoleBadge({ role, compact = false }: { role: Role; compact?: boolean }) {
  useTranslation();
  const label = roleLabel(role);
  if (!label) return null;
  return (
    <span
      className={`role-badge role-${role}${compact ? ' compact' : ''}`}
      data-testid="role-badge"
      data-role={role}
    >
      {label}
    </span>
  );
}
