/**
 * What the API and the worker agree on: workflow type names and their payload types.
 * Payloads carry opaque ids and non-identifying facts only, never a name, birth date or national id.
 */
export const WORKFLOW_TYPES = {
  systemProbe: 'systemProbe',
} as const;

/** Round trip API -> Temporal -> worker -> PostgreSQL, used by the self-test endpoint. */
export interface SystemProbeInput {
  readonly probeId: string;
}

export interface SystemProbeResult {
  readonly probeId: string;
  readonly streamVersion: number;
}

export const systemProbeWorkflowId = (probeId: string): string => `system-probe-${probeId}`;

/** The workflow's signature, for typed starts (the workflow function itself stays inside workflows/). */
export type SystemProbeWorkflow = (input: SystemProbeInput) => Promise<SystemProbeResult>;
