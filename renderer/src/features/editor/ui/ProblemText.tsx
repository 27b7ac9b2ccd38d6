import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../../ui/useErrorText';
import type { Problem } from '../editor-store';

/** One sentence for what went wrong and what to do next; the editor's own words first, then the app's. */
export function useProblemText(): (problem: Problem) => string {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  return (problem) => {
    const key = `editor.problem.${problem.reason}`;
    if (i18n.exists(key)) return t(key, problem.details ?? {});
    if (problem.error) return errorText(problem.error);
    return t('editor.problem.unexpected');
  };
}

export function ProblemAlert({ problem, onDismiss }: { problem: Problem; onDismiss(): void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  return (
    <div className="editor-problem" role="alert">
      <p>{text(problem)}</p>
      <button type="button" className="button subtle" onClick={onDismiss}>
        {t('editor.dismiss')}
      </button>
    </div>
  );
}
