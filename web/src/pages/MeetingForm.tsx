/**
 * `/meetings/new` and `/meetings/<id>/edit`: title, time and settings of a meeting (lobby, passcode,
 * webinar mode, participant limit, host region rule); when editing, the meeting's bans below.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Meeting, MeetingInput, MeetingSettingsInput } from '../../../src/client/api.js';
import { errorCode } from '../../../src/client/ClientError.js';
import { api } from '../api.js';
import { errorText } from '../errorText.js';
import { useAccount } from '../account.js';
import { parseCountryCodes } from '../countries.js';
import { regionName, t } from '../i18n/index.js';
import { linkProps, navigate } from '../router.js';
import { MeetingBans } from './MeetingBans.js';
import { TopBar } from './TopBar.js';

type RegionMode = 'none' | 'deny' | 'allow';

interface FormValues {
  title: string;
  when: string;
  lobby: boolean;
  passcode: string;
  webinar: boolean;
  max: string;
  regionMode: RegionMode;
  regionCodes: string;
}

const EMPTY: FormValues = {
  title: '',
  when: '',
  lobby: false,
  passcode: '',
  webinar: false,
  max: '',
  regionMode: 'none',
  regionCodes: '',
};

const PASSCODE_CHARS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function generatePasscode(length = 10): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => PASSCODE_CHARS[b % PASSCODE_CHARS.length]).join('');
}

/** `datetime-local` value (local time, minutes) for an ISO time, and back. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromMeeting(meeting: Meeting): FormValues {
  const { settings } = meeting;
  return {
    title: meeting.title,
    when: toLocalInput(meeting.scheduledFor),
    lobby: settings.lobby,
    passcode: settings.passcode ?? '',
    webinar: settings.webinar,
    max: settings.maxParticipants === null ? '' : String(settings.maxParticipants),
    regionMode: settings.regionPolicy?.mode ?? 'none',
    regionCodes: settings.regionPolicy?.jurisdictions.join(', ') ?? '',
  };
}

interface Problems {
  title?: string;
  when?: string;
  passcode?: string;
  max?: string;
  region?: string;
}

function validate(values: FormValues): Problems {
  const problems: Problems = {};
  if (values.title.trim().length > 200) problems.title = t('form.titleTooLong');
  if (values.when && Number.isNaN(new Date(values.when).getTime())) problems.when = t('form.badWhen');
  if (values.passcode && !/^\S{1,64}$/.test(values.passcode)) problems.passcode = t('form.badPasscode');
  if (values.max.trim()) {
    const n = Number(values.max);
    if (!Number.isInteger(n) || n < 2 || n > 5000) problems.max = t('form.badMax');
  }
  if (values.regionMode !== 'none') {
    const { codes, invalid } = parseCountryCodes(values.regionCodes);
    if (invalid.length > 0) problems.region = t('form.badCodes', { codes: invalid.join(', ') });
    else if (codes.length === 0) problems.region = t('form.noCodes');
  }
  return problems;
}

function toInput(values: FormValues, editing: boolean, passcodeChanged: boolean): MeetingInput {
  const settings: Partial<MeetingSettingsInput> = {
    lobby: values.lobby,
    webinar: values.webinar,
    maxParticipants: values.max.trim() ? Number(values.max) : null,
    regionPolicy:
      values.regionMode === 'none'
        ? null
        : { mode: values.regionMode, jurisdictions: parseCountryCodes(values.regionCodes).codes },
  };
  if (!editing || passcodeChanged) settings.passcode = values.passcode ? values.passcode : null;
  const input: MeetingInput = { settings };
  const title = values.title.trim();
  if (title) input.title = title;
  if (values.when) input.scheduledFor = new Date(values.when).toISOString();
  else if (editing) input.scheduledFor = null;
  return input;
}

export function MeetingForm({ meetingId }: { meetingId?: string }) {
  useTranslation();
  const { status } = useAccount();
  const editing = meetingId !== undefined;
  const [values, setValues] = useState<FormValues | null>(editing ? null : EMPTY);
  const [original, setOriginal] = useState<FormValues | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);

  useEffect(() => {
    if (status === 'signedOut')
      navigate(`/signin?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
  }, [status]);

  useEffect(() => {
    if (!meetingId || status !== 'signedIn') return;
    api.getMeeting(meetingId).then(
      (meeting) => {
        const loaded = fromMeeting(meeting);
        setValues(loaded);
        setOriginal(loaded);
      },
      (err: unknown) =>
        setError(
          errorCode(err) === 'not_found'
            ? t('form.notYours')
            : err instanceof Error
              ? errorText(err, t('form.loadFailed'))
              : t('form.loadFailed'),
        ),
    );
  }, [meetingId, status]);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]): void =>
    setValues((old) => (old ? { ...old, [key]: value } : old));

  const problems = values ? validate(values) : {};
  const invalid = Object.keys(problems).length > 0;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!values || busy) return;
    if (invalid) {
      setShowProblems(true);
      return;
    }
    setBusy(true);
    setError(null);
    const input = toInput(values, editing, original?.passcode !== values.passcode);
    const saved = meetingId ? api.updateMeeting(meetingId, input) : api.createMeeting(input);
    saved.then(
      () => navigate('/meetings'),
      (err: unknown) => {
        setBusy(false);
        setError(errorText(err, t('form.saveFailed')));
      },
    );
  };

  const shown = (key: keyof Problems): string | undefined => (showProblems ? problems[key] : undefined);
  const parsedCodes = values ? parseCountryCodes(values.regionCodes).codes : [];
  return (
    <div className="page">
      <TopBar />
      <main className="form-main">
        <h1>{editing ? t('form.editTitle') : t('form.newTitle')}</h1>
        {error ? (
          <p className="form-error" role="alert" data-testid="error-message">
            {error}
          </p>
        ) : null}
        {values ? (
          <form className="card meeting-form" data-testid="meeting-form" onSubmit={submit} noValidate>
            <label className="field">
              <span className="field-label">{t('form.title')}</span>
              <input
                data-testid="meeting-title"
                type="text"
                maxLength={200}
                placeholder={t('form.titlePlaceholder')}
                value={values.title}
                onChange={(event) => set('title', event.target.value)}
              />
              <Problem text={shown('title')} />
            </label>
            <label className="field">
              <span className="field-label">{t('form.when')}</span>
              <input
                data-testid="meeting-when"
                type="datetime-local"
                value={values.when}
                onChange={(event) => set('when', event.target.value)}
              />
              <Problem text={shown('when')} />
            </label>
            <fieldset className="field-group">
              <legend>{t('form.whoGetsIn')}</legend>
              <Toggle
                testId="meeting-lobby"
                checked={values.lobby}
                onChange={(value) => set('lobby', value)}
                label={t('form.lobby')}
                hint={t('form.lobbyHint')}
              />
              <label className="field">
                <span className="field-label">{t('form.passcode')}</span>
                <span className="input-row">
                  <input
                    data-testid="meeting-passcode"
                    type="text"
                    maxLength={64}
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={t('form.passcodePlaceholder')}
                    value={values.passcode}
                    onChange={(event) => set('passcode', event.target.value.trim())}
                  />
                  <button
                    type="button"
                    className="secondary-button"
                    data-testid="meeting-passcode-generate"
                    onClick={() => set('passcode', generatePasscode())}
                  >
                    {t('form.generate')}
                  </button>
                </span>
                <span className="field-hint">
                  <Trans i18nKey="form.passcodeHint" components={[<code key="c" />]} />
                </span>
                <Problem text={shown('passcode')} />
              </label>
              <label className="field">
                <span className="field-label">{t('form.max')}</span>
                <input
                  data-testid="meeting-max"
                  type="number"
                  inputMode="numeric"
                  min={2}
                  max={5000}
                  placeholder={t('form.maxPlaceholder')}
                  value={values.max}
                  onChange={(event) => set('max', event.target.value)}
                />
                <Problem text={shown('max')} />
              </label>
            </fieldset>
            <fieldset className="field-group">
              <legend>{t('form.format')}</legend>
              <Toggle
                testId="meeting-webinar"
                checked={values.webinar}
                onChange={(value) => set('webinar', value)}
                label={t('form.webinar')}
                hint={t('form.webinarHint')}
              />
            </fieldset>
            <fieldset className="field-group">
              <legend>{t('form.region')}</legend>
              <label className="field">
                <span className="field-label">{t('form.regionMode')}</span>
                <select
                  data-testid="meeting-region-mode"
                  value={values.regionMode}
                  onChange={(event) => set('regionMode', event.target.value as RegionMode)}
                >
                  <option value="none">{t('form.regionNone')}</option>
                  <option value="deny">{t('form.regionDeny')}</option>
                  <option value="allow">{t('form.regionAllow')}</option>
                </select>
              </label>
              {values.regionMode !== 'none' ? (
                <label className="field">
                  <span className="field-label">{t('form.codes')}</span>
                  <input
                    data-testid="meeting-region-codes"
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={t('form.codesPlaceholder')}
                    value={values.regionCodes}
                    aria-invalid={problems.region ? 'true' : undefined}
                    onChange={(event) => set('regionCodes', event.target.value)}
                  />
                  {parsedCodes.length > 0 ? (
                    <span className="code-chips" data-testid="meeting-region-preview">
                      {parsedCodes.map((code) => (
                        <span key={code} className="setting-badge">
                          {t('form.codeChip', { code, name: regionName(code) })}
                        </span>
                      ))}
                    </span>
                  ) : null}
                  <Problem
                    text={
                      problems.region && (showProblems || values.regionCodes) ? problems.region : undefined
                    }
                  />
                </label>
              ) : null}
            </fieldset>
            <div className="form-actions">
              <a className="text-button" {...linkProps('/meetings')}>
                {t('common.cancel')}
              </a>
              <button type="submit" className="primary-button" data-testid="meeting-save" disabled={busy}>
                {busy ? <span className="spinner small" aria-hidden="true" /> : null}
                {editing ? t('form.save') : t('form.create')}
              </button>
            </div>
          </form>
        ) : error ? null : (
          <span className="spinner" role="img" aria-label={t('common.loading')} />
        )}
        {meetingId && values ? <MeetingBans meetingId={meetingId} /> : null}
      </main>
    </div>
  );
}

function Problem({ text }: { text: string | undefined }) {
  return text ? (
    <span className="field-hint invalid" role="alert">
      {text}
    </span>
  ) : null;
}

function Toggle(props: {
  testId: string;
  checked: boolean;
  label: string;
  hint: string;
  onChange: (value: boolean) => void;
}) {
  return (
    <label className="toggle-row">
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <span className="toggle-switch" aria-hidden="true" />
      <span className="toggle-text">
        <span className="toggle-label">{props.label}</span>
        <span className="field-hint">{props.hint}</span>
      </span>
    </label>
  );
}
