/** The side panel: the participant list or the chat. */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatEntry, ParticipantView } from '../../../src/client/types.js';
import { Avatar } from './Avatar.js';
import {
  CloseIcon,
  MicIcon,
  MicOffIcon,
  ScreenShareIcon,
  SendIcon,
  VideoIcon,
  VideoOffIcon,
} from './Icons.js';
import type { Panel } from './ControlBar.js';

interface Props {
  panel: Exclude<Panel, null>;
  self: ParticipantView | null;
  participants: readonly ParticipantView[];
  speaking: ReadonlySet<string>;
  chat: readonly ChatEntry[];
  onSendChat: (text: string) => void;
  onClose: () => void;
}

export function SidePanel(props: Props) {
  const title = props.panel === 'chat' ? 'In-call messages' : 'People';
  return (
    <aside className="side-panel" aria-label={title}>
      <header className="side-header">
        <h2>{title}</h2>
        <button
          type="button"
          className="icon-button small"
          aria-label="Close panel"
          title="Close"
          onClick={props.onClose}
        >
          <CloseIcon size={20} />
        </button>
      </header>
      {props.panel === 'chat' ? (
        <ChatPanel chat={props.chat} onSend={props.onSendChat} />
      ) : (
        <Roster self={props.self} participants={props.participants} speaking={props.speaking} />
      )}
    </aside>
  );
}

function Roster({ self, participants, speaking }: Pick<Props, 'self' | 'participants' | 'speaking'>) {
  const everyone = self ? [self, ...participants] : [...participants];
  return (
    <div className="roster-wrap">
      <p className="side-caption">
        {everyone.length} {everyone.length === 1 ? 'person' : 'people'} in this meeting
      </p>
      <ul className="roster" data-testid="roster">
        {everyone.map((p) => (
          <li
            key={p.id}
            className={`roster-entry${speaking.has(p.id) && !p.audioMuted ? ' speaking' : ''}`}
            data-testid="roster-entry"
            data-participant-id={p.id}
            data-participant-name={p.displayName}
          >
            <Avatar name={p.displayName} seed={p.id} size={36} />
            <span className="roster-name">
              <span className="roster-label">
                {p.displayName}
                {p.isLocal ? <span className="roster-you"> (You)</span> : null}
              </span>
              {p.screenSharing ? (
                <span className="roster-presenting">
                  <ScreenShareIcon size={13} /> Presenting
                </span>
              ) : null}
            </span>
            <span className="roster-icons">
              <span className={p.videoMuted ? 'off' : ''} title={p.videoMuted ? 'Camera off' : 'Camera on'}>
                {p.videoMuted ? <VideoOffIcon size={18} /> : <VideoIcon size={18} />}
              </span>
              <span className={p.audioMuted ? 'off' : ''} title={p.audioMuted ? 'Muted' : 'Microphone on'}>
                {p.audioMuted ? <MicOffIcon size={18} /> : <MicIcon size={18} />}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

function ChatPanel({ chat, onSend }: { chat: readonly ChatEntry[]; onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
  }, []);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.length]);
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <div className="chat">
      {chat.length === 0 ? (
        <div className="chat-empty">
          <p>Messages can be seen only by people in the call and are deleted when the call ends.</p>
        </div>
      ) : null}
      <ol className="chat-list" ref={listRef}>
        {chat.map((entry, index) => {
          const previous = chat[index - 1];
          const grouped =
            previous !== undefined &&
            previous.fromId === entry.fromId &&
            entry.sentAt - previous.sentAt < 120_000;
          return (
            <li
              key={entry.id}
              className={`chat-message${grouped ? ' grouped' : ''}${entry.isLocal ? ' mine' : ''}`}
              data-testid="chat-message"
              data-from-name={entry.fromName}
            >
              {grouped ? null : (
                <div className="chat-meta">
                  <span className="chat-from">{entry.isLocal ? 'You' : entry.fromName}</span>
                  <time dateTime={new Date(entry.sentAt).toISOString()}>
                    {timeFormat.format(entry.sentAt)}
                  </time>
                </div>
              )}
              <p className="chat-text">{entry.text}</p>
            </li>
          );
        })}
      </ol>
      <form className="chat-form" onSubmit={submit}>
        <textarea
          ref={inputRef}
          data-testid="chat-input"
          className="chat-input"
          placeholder="Send a message"
          aria-label="Message"
          rows={1}
          maxLength={4000}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="chat-send"
          data-testid="chat-send"
          aria-label="Send message"
          title="Send"
          disabled={!text.trim()}
        >
          <SendIcon size={20} />
        </button>
      </form>
    </div>
  );
}
