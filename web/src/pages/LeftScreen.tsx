/** After leaving: rejoin, or go home. */
import { useTranslation } from 'react-i18next';
import { StatusScreen } from './StatusScreen.js';

export function LeftScreen({ onRejoin, onHome }: { onRejoin: () => void; onHome: () => void }) {
  const { t } = useTranslation();
  return (
    <StatusScreen
      state="left"
      title={t('left.title')}
      message={t('left.message')}
      actions={[
        { label: t('common.rejoin'), primary: true, onClick: onRejoin, testId: 'rejoin' },
        { label: t('common.goHome'), onClick: onHome, testId: 'go-home' },
      ]}
    />
  );
}
