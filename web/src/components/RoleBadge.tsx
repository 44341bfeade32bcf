/** Host / Co-host / Panelist badges for the roster and the video tiles (nothing for others). */
import type { Role } from '../../../src/client/types.js';

const LABELS: Partial<Record<Role, string>> = { host: 'Host', cohost: 'Co-host', panelist: 'Panelist' };

export function roleLabel(role: Role): string | null {
  return LABELS[role] ?? null;
}

export function RoleBadge({ role, compact = false }: { role: Role; compact?: boolean }) {
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
