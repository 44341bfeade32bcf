/** The side panel: the participant list (ParticipantsPanel) or the chat (ChatPanel). */
import { useTranslation } from 'react-i18next';
import type { MeetingSession } from '../../../src/client/MeetingSession.js';
import type { SessionState } from '../../../src/client/types.js';
import { ChatPanel } from './ChatPanel.js';
import type { Panel } from './ControlBar.js';
import { CloseIcon } from './Icons.js';
import type { Act } from './ParticipantMenu.js';
import { ParticipantsPanel } from './ParticipantsPanel.js';

interface Props {
  panel: Exclude<Panel, null>;
  session: MeetingSession;
  state: SessionState;
  speaking: ReadonlySet<string>;
  act: Act;
  onCopyLink: () => void;
  onClose: () => void;
}

export function SidePanel(props: Props) {
  const { t } = useTranslation();
  const title = props.panel === 'chat' ? t('panel.chatTitle') : t('panel.peopleTitle');
  return (
    <aside className="side-panel" aria-label={title} data-testid="side-panel" data-panel={props.panel}>
      <header className="side-header">
        <h2>{title}</h2>
        <button
          type="button"
          className="icon-button small"
          aria-label={t('panel.close')}
          aria-keyshortcuts="Escape"
          title={t('common.close')}
          onClick={props.onClose}
        >
          <CloseIcon size={20} />
        </button>
      </header>
      {props.panel === 'chat' ? (
        <ChatPanel chat={props.state.chat} onSend={(text) => props.session.sendChat(text)} />
      ) : (
        <ParticipantsPanel
          session={props.session}
          state={props.state}
          speaking={props.speaking}
          act={props.act}
          onCopyLink={props.onCopyLink}
        />
      )}
    </aside>
  );
}
