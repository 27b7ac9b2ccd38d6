import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CAPTCHA_ANSWER_MAX } from '../../../../main/core/contract/publishing';
import type { NetworkId } from '../../../../main/core/networks/ids';
import type { OutpostError } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';

interface CaptchaAnswerProps {
  jobId: string;
  /** The captcha shown; a new one (after a wrong answer) loads its own picture. */
  captchaId: string;
  network: NetworkId;
  /** Names the post in the field's and the button's accessible names, where several are listed. */
  excerpt?: string;
  busy: boolean;
  onAnswer(answer: string): Promise<void>;
}

/**
 * The network's captcha: its picture (a data: URL main fetched, never the network's address), a
 * field for the characters and "Send". Sending lets the post go once more with the answer.
 */
export function CaptchaAnswer({ jobId, captchaId, network, excerpt, busy, onAnswer }: CaptchaAnswerProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const fieldId = useId();
  const [loads, setLoads] = useState(0);
  const [loaded, setLoaded] = useState<{ key: string; dataUrl?: string; error?: OutpostError } | null>(null);
  const [answer, setAnswer] = useState('');
  // Each captcha, and each "load again", has its own picture: an older one is never shown beside a newer captcha.
  const key = `${captchaId}/${loads}`;

  useEffect(() => {
    let current = true;
    unawaited(
      invoke('publishing.captchaImage', { jobId }).then((result) => {
        if (!current) return;
        setLoaded(result.ok && result.value.captchaId === captchaId ? { key, dataUrl: result.value.dataUrl } : { key, ...(result.ok ? {} : { error: result.error }) });
      }),
      'Loading the captcha picture',
    );
    return () => {
      current = false;
    };
  }, [jobId, captchaId, key]);

  const shown = loaded?.key === key ? loaded.dataUrl : undefined;
  const imageError = loaded?.key === key ? loaded.error : undefined;
  const trimmed = answer.trim();
  const named = excerpt !== undefined ? { excerpt: excerpt.slice(0, 40) } : undefined;

  return (
    <form
      className="captcha-answer"
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed) unawaited(onAnswer(trimmed).then(() => setAnswer('')), 'Sending the captcha answer');
      }}
    >
      <div className="captcha-picture">
        {shown ? (
          <img src={shown} alt={t('publishing.captcha.image', { network: t(`networks.${network}`) })} />
        ) : imageError ? (
          <p className="notice error" role="alert">
            {errorText(imageError)}
          </p>
        ) : (
          <p className="hint">{t('publishing.captcha.loading')}</p>
        )}
        {imageError && (
          <button type="button" className="button" onClick={() => setLoads((n) => n + 1)}>
            {t('publishing.captcha.reload')}
          </button>
        )}
      </div>
      <label htmlFor={fieldId}>{t('publishing.captcha.answer')}</label>
      <input
        id={fieldId}
        type="text"
        value={answer}
        maxLength={CAPTCHA_ANSWER_MAX}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        {...(named ? { 'aria-label': t('publishing.captcha.answerNamed', named) } : {})}
        onChange={(e) => setAnswer(e.target.value)}
      />
      <button
        type="submit"
        className="button primary"
        disabled={busy || !trimmed}
        {...(named ? { 'aria-label': t('publishing.captcha.sendNamed', named) } : {})}
      >
        {t('publishing.captcha.send')}
      </button>
    </form>
  );
}
