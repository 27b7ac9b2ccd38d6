import { ConnectorError, type FailureKind } from '../../core/connector';
import type { RelayProblem } from '../../core/contract/relay';

/**
 * A relay that could not take or give back a file: a ConnectorError (so a publish fails or retries
 * by its kind, having sent nothing) that also names the reason, so Settings can word it itself.
 */
export class RelayFailure extends ConnectorError {
  readonly reason: RelayProblem;

  constructor(reason: RelayProblem, kind: FailureKind, message: string, details: { status?: number; networkSaid?: string; cause?: unknown } = {}) {
    super(kind, message, { ...details, delivery: 'not_sent' });
    this.name = 'RelayFailure';
    this.reason = reason;
  }
}
