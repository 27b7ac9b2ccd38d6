import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { relayKindSchema, type ProjectRelay, type RelayKind, type RelayTestResult } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { useActiveProject } from '../projects/projects-store';
import { useRelays } from './relay-store';

interface BucketForm {
  endpoint: string;
  region: string;
  bucket: string;
  pathStyle: boolean;
  accessKeyId: string;
  /** Typed only to replace the keychain's; never filled in from main. */
  secretAccessKey: string;
}

const emptyBucket: BucketForm = { endpoint: '', region: '', bucket: '', pathStyle: false, accessKeyId: '', secretAccessKey: '' };

function formOf(relay: ProjectRelay | undefined): { kind: RelayKind; bucket: BucketForm } {
  const s3 = relay?.s3;
  return {
    kind: relay?.kind ?? 'none',
    bucket: s3 ? { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, pathStyle: s3.pathStyle, accessKeyId: s3.accessKeyId, secretAccessKey: '' } : emptyBucket,
  };
}

/** Settings › Media relay: where the active project's files go so Instagram and Threads can fetch them. */
export function MediaRelaySection() {
  const { t } = useTranslation();
  const describe = useErrorText();
  const project = useActiveProject();
  const projectId = project?.id;
  const saved = useRelays((s) => (projectId ? s.relays[projectId] : undefined));
  const focusRequested = useRelays((s) => s.focusRequested);
  // The user's unsaved edits; null shows what main has.
  const [draft, setDraft] = useState<{ projectId: string | undefined; kind: RelayKind; bucket: BucketForm } | null>(null);
  const edited = draft && draft.projectId === projectId ? draft : null;
  const { kind, bucket } = edited ?? formOf(saved);
  const dirty = edited !== null;
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [error, setError] = useState<OutpostError | null>(null);
  const [result, setResult] = useState<RelayTestResult | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { endpoint: useId(), region: useId(), bucket: useId(), accessKeyId: useId(), secret: useId() };

  useEffect(() => {
    if (projectId) unawaited(useRelays.getState().load(projectId), 'Loading the media relay');
  }, [projectId]);

  useEffect(() => {
    if (!focusRequested) return;
    useRelays.setState({ focusRequested: false });
    heading.current?.scrollIntoView?.({ block: 'start' });
    heading.current?.focus();
  }, [focusRequested]);

  const change = (next: { kind?: RelayKind; bucket?: Partial<BucketForm> }) => {
    setDraft({ projectId, kind: next.kind ?? kind, bucket: { ...bucket, ...next.bucket } });
    setResult(null);
  };

  async function save(): Promise<boolean> {
    if (!projectId) return false;
    setBusy('save');
    setError(null);
    const { secretAccessKey, ...settings } = bucket;
    // The bucket's fields go only with the bucket chosen; they stay saved in main while another kind is.
    const result = await invoke('relay.save', {
      projectId,
      kind,
      ...(kind === 's3' ? { s3: { ...settings, ...(secretAccessKey ? { secretAccessKey } : {}) } } : {}),
    });
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return false;
    }
    useRelays.getState().set(result.value);
    setDraft(null);
    return true;
  }

  async function test(): Promise<void> {
    if (!projectId) return;
    if (dirty && !(await save())) return;
    setBusy('test');
    setResult(null);
    const answer = await invoke('relay.test', { projectId });
    setBusy(null);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error);
  }

  return (
    <section className="card relay-section" aria-labelledby="settings-relay" id="media-relay">
      <h2 id="settings-relay" ref={heading} tabIndex={-1}>
        {t('settings.relay.title')}
      </h2>
      <p>{t('settings.relay.why')}</p>
      {!project ? (
        <p className="hint">{t('settings.relay.noProject')}</p>
      ) : (
        <>
          <p className="hint">{t('settings.relay.forProject', { project: project.name })}</p>
          <fieldset className="field">
            <legend>{t('settings.relay.kind')}</legend>
            {relayKindSchema.options.map((option) => (
              <label key={option} className="radio">
                <input
                  type="radio"
                  name="relay-kind"
                  value={option}
                  checked={kind === option}
                  onChange={() => change({ kind: option })}
                />
                <span>
                  {t(`settings.relay.kinds.${option}`)}
                  <span className="hint"> — {t(`settings.relay.kindHints.${option}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {kind === 's3' && (
            <div className="relay-bucket">
              <div className="field">
                <label htmlFor={ids.endpoint}>{t('settings.relay.endpoint')}</label>
                <input id={ids.endpoint} type="url" value={bucket.endpoint} placeholder="https://s3.eu-central-1.amazonaws.com" onChange={(e) => change({ bucket: { endpoint: e.target.value } })} />
              </div>
              <div className="field">
                <label htmlFor={ids.region}>{t('settings.relay.region')}</label>
                <input id={ids.region} value={bucket.region} placeholder="eu-central-1" onChange={(e) => change({ bucket: { region: e.target.value } })} />
              </div>
              <div className="field">
                <label htmlFor={ids.bucket}>{t('settings.relay.bucket')}</label>
                <input id={ids.bucket} value={bucket.bucket} onChange={(e) => change({ bucket: { bucket: e.target.value } })} />
              </div>
              <label className="checkbox">
                <input type="checkbox" checked={bucket.pathStyle} onChange={(e) => change({ bucket: { pathStyle: e.target.checked } })} />
                {t('settings.relay.pathStyle')}
              </label>
              <div className="field">
                <label htmlFor={ids.accessKeyId}>{t('settings.relay.accessKeyId')}</label>
                <input id={ids.accessKeyId} value={bucket.accessKeyId} autoComplete="off" onChange={(e) => change({ bucket: { accessKeyId: e.target.value } })} />
              </div>
              <div className="field">
                <label htmlFor={ids.secret}>{t('settings.relay.secretAccessKey')}</label>
                <input
                  id={ids.secret}
                  type="password"
                  autoComplete="off"
                  value={bucket.secretAccessKey}
                  placeholder={saved?.s3?.hasSecret ? t('settings.relay.secretSaved') : ''}
                  onChange={(e) => change({ bucket: { secretAccessKey: e.target.value } })}
                />
              </div>
              <p className="hint">{t('settings.relay.bucketHint')}</p>
            </div>
          )}
          {!dirty && (saved?.blockedScheduled ?? 0) > 0 && (
            <p className="status warn">{t('settings.relay.blockedScheduled', { count: saved?.blockedScheduled ?? 0 })}</p>
          )}
          {error && (
            <p role="alert" className="error">
              {describe(error)}
            </p>
          )}
          <div className="data-actions">
            <button type="button" className="button primary" disabled={busy !== null || !dirty} onClick={() => unawaited(save(), 'Saving the media relay')}>
              {busy === 'save' ? t('settings.relay.saving') : t('settings.relay.save')}
            </button>
            <button type="button" className="button" disabled={busy !== null || kind === 'none'} onClick={() => unawaited(test(), 'Testing the media relay')}>
              {busy === 'test' ? t('settings.relay.testing') : t('settings.relay.test')}
            </button>
          </div>
          {result && (
            <div role="status" className={result.ok ? 'status ok' : 'status warn'}>
              <p>{result.ok ? t('settings.relay.result.ok', { host: result.host ?? '' }) : t(`settings.relay.result.${result.problem ?? 'refused'}`)}</p>
              {!result.ok && result.message && <p className="hint">{t('settings.relay.result.details', { message: result.message })}</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
