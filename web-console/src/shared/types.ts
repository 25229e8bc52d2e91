// The notifier API's answers, as far as the pages read them (best-effort-notifier README, "API reference").

export type Status = 'PENDING' | 'DELIVERED' | 'GAVE_UP' | 'CANCELLED';

export interface Application {
  id: string;
  name?: string;
  ratePerSecond: number;
  maxConcurrency: number;
  createdAt?: string;
}

export interface Endpoint {
  id: string;
  applicationId?: string;
  url: string;
  description?: string;
  retryProfile: string;
  ackMatcher: string;
  timeoutMs: number;
  maxConcurrency: number;
  ratePerSecond: number;
  enabled: boolean;
  disabledReason?: string;
  eventTypes?: string[];
  channels?: string[];
  ordering?: string;
  createdAt: string;
  updatedAt?: string;
  secret?: string;
  publicKeys?: string[];
}

export interface Isolation {
  circuitState: string;
  /** Percent of recent calls that failed, -1 before the circuit has seen enough. */
  failureRate: number;
  recentAttempts: number;
  inFlight: number;
}

export interface EndpointHealth {
  endpointId: string;
  enabled: boolean;
  disabledReason?: string;
  isolation: Isolation;
  lastHourAttempts: Record<string, number>;
  pending: number;
  consecutiveFailures: number;
  failingSince?: string;
}

export interface Attempt {
  number: number;
  instance: string;
  startedAt: string;
  durationMs: number;
  statusCode?: number;
  responseExcerpt?: string;
  error?: string;
  outcome: string;
}

export interface Delivery {
  id: string;
  endpointId: string;
  source: string;
  eventType: string;
  payload?: unknown;
  status: Status;
  attemptCount: number;
  nextAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
  createdAt: string;
  finishedAt?: string;
  messageId?: string;
  orderingKey?: string;
  held?: boolean;
  attempts?: Attempt[];
}

export interface Message {
  id: string;
  applicationId: string;
  eventType: string;
  channels?: string[];
  payload?: unknown;
  createdAt: string;
  deliveries?: {
    id: string;
    endpointId: string;
    status: Status;
    attemptCount: number;
    nextAttemptAt?: string;
    held?: boolean;
    lastStatusCode?: number;
    lastError?: string;
  }[];
}
