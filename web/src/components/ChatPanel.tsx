/**
 * The chat: messages (direction from their own text, links made safe by room/chatLinks.ts) and the
 * input (Enter sends, Shift+Enter adds a line).
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatEntry } from '../../../src/client/types.js';
import { formatTime } from '../i18n/index.js';
import { splitLinks } from '../room/chatLinks.js';
import { AlertIcon, SendIcon } from './Icons.js';

export function ChatPanel({ chat, onSend }: { chat: readonly ChatEntry[]; onSend: (text: string) => void }) {
  const { t } = useTranslation();
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
          <p>{t('chat.empty')}</p>
        </div>
      ) : null}
      <ol className="chat-list" ref={listRef} aria-label={t('panel.chatTitle')}>
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
              data-undelivered={entry.undelivered ? 'true' : 'false'}
            >
              {grouped ? null : (
                <div className="chat-meta">
                  <span className="chat-from" dir="auto">
                    {entry.isLocal ? t('common.you') : entry.fromName}
                  </span>
                  <time dateTime={new Date(entry.sentAt).toISOString()}>{formatTime(entry.sentAt)}</time>
                </div>
              )}
              <p className="chat-text" dir="auto">
                <MessageText text={entry.text} />
              </p>
              {entry.undelivered ? (
                <p className="chat-undelivered" data-testid="chat-undelivered">
                  <AlertIcon size={14} />
                  <span>{t('chat.undelivered')}</span>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <form className="chat-form" onSubmit={submit}>
        <textarea
          ref={inputRef}
          data-testid="chat-input"
          className="chat-input"
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.label')}
          dir="auto"
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
          aria-label={t('chat.send')}
          title={t('chat.sendShort')}
          disabled={!text.trim()}
        >
          <SendIcon size={20} />
        </button>
      </form>
    </div>
  );
}

function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer" data-testid="chat-link">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
