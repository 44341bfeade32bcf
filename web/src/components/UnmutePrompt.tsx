/** "The host asks you to unmute": only you can turn your microphone on. */
import { MicIcon } from './Icons.js';

export function UnmutePrompt({
  from,
  onAnswer,
}: {
  from: string | null;
  onAnswer: (unmute: boolean) => void;
}) {
  return (
    <div
      className="unmute-prompt"
      role="alertdialog"
      aria-label="Request to unmute"
      data-testid="unmute-request"
    >
      <span className="unmute-icon" aria-hidden="true">
        <MicIcon size={22} />
      </span>
      <span className="unmute-text">
        <strong>The host asks you to unmute</strong>
        {from ? <span>{from} would like to hear you.</span> : null}
      </span>
      <button
        type="button"
        className="text-button"
        data-testid="unmute-decline"
        onClick={() => onAnswer(false)}
      >
        Stay muted
      </button>
      <button
        type="button"
        className="primary-button"
        data-testid="unmute-accept"
        onClick={() => onAnswer(true)}
      >
        Unmute
      </button>
    </div>
  );
}
