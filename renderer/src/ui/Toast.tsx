import { useEffect, useEffectEvent, useState, type ReactNode } from 'react';
import './toast.css';

/** How long a message stays when nothing holds it: long enough to read a sentence and reach its Undo. */
export const TOAST_MS = 6_000;

interface ToastProps {
  /** What is shown; null leaves the live region empty (it stays in the page so the next message is announced). */
  children: ReactNode;
  /** A new value for each message, so a replacing message gets its own full time. */
  messageKey: unknown;
  tone: 'info' | 'error';
  /** Errors, and messages the user must act on, stay until dismissed. */
  persistent?: boolean;
  onDismiss(): void;
  dismissLabel: string;
}

/**
 * A message at the window's edge that never pushes the page about. It leaves by itself after
 * TOAST_MS unless it is an error or persistent, or the pointer or focus is on it; screen readers
 * hear it politely (role="status").
 */
export function Toast({ children, messageKey, tone, persistent = false, onDismiss, dismissLabel }: ToastProps) {
  // Held by the message under the pointer or focus, so a message that leaves while held does not hold the next.
  const [hoveredKey, setHoveredKey] = useState<unknown>(null);
  const [focusedKey, setFocusedKey] = useState<unknown>(null);
  const shown = children !== null && children !== undefined && children !== false;
  const held = hoveredKey === messageKey || focusedKey === messageKey;
  const stays = !shown || persistent || tone === 'error' || held;
  const dismiss = useEffectEvent(onDismiss);

  useEffect(() => {
    if (stays) return;
    const timer = setTimeout(dismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [stays, messageKey]);

  return (
    <div
      className={`toast ${tone}`}
      role="status"
      aria-live="polite"
      onMouseEnter={() => setHoveredKey(messageKey)}
      onMouseLeave={() => setHoveredKey(null)}
      onFocus={() => setFocusedKey(messageKey)}
      onBlur={(e) => {
        if (!(e.relatedTarget instanceof Node) || !e.currentTarget.contains(e.relatedTarget)) setFocusedKey(null);
      }}
    >
      {shown && (
        <>
          {children}
          <button type="button" className="button subtle" aria-label={dismissLabel} onClick={onDismiss}>
            ×
          </button>
        </>
      )}
    </div>
  );
}
