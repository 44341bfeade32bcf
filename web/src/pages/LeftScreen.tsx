/** After leaving: rejoin, or go home. */
import { StatusScreen } from './StatusScreen.js';

export function LeftScreen({ onRejoin, onHome }: { onRejoin: () => void; onHome: () => void }) {
  return (
    <StatusScreen
      state="left"
      title="You left the meeting"
      message="Joined by mistake? You can go straight back in."
      actions={[
        { label: 'Rejoin', primary: true, onClick: onRejoin, testId: 'rejoin' },
        { label: 'Return to home screen', onClick: onHome, testId: 'go-home' },
      ]}
    />
  );
}
