// The relay admin API's answers (relay-service README, "Admin API").

export interface Status {
  member: string;
  mode: 'polling' | 'cdc';
  paused: boolean;
  parked: number;
  circuits: { kafka: string; database: string };
  // polling
  leases?: string;
  ownedPartitions?: number[];
  listening?: boolean;
  // cdc
  state?: string;
  slot?: string;
  slotExists?: boolean;
  slotActive?: boolean;
  slotLagBytes?: number;
  slotRetainedWalBytes?: number;
  slotUnreadSince?: string;
  lastEventAt?: string;
  lastError?: string;
}

export interface Backlog {
  rows: number;
  partitions: { partition: number; rows: number; oldestCreatedAt?: string }[];
}

export interface Leases {
  member: string;
  owned: number[];
  leases: { partition: number; owner?: string; epoch: number; expiresAt?: string }[];
}

export interface Parked {
  id: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  partition: number;
  seq: number;
  createdAt: string;
  attempts: number;
  error?: string;
  parkedAt?: string;
  status: string;
  payloadBytes: number;
  releaseRequest?: string;
  payloadPreview?: string;
}

export interface Published {
  id: string;
  aggregateType: string;
  aggregateId: string;
  type: string;
  partition: number;
  seq: number;
  createdAt: string;
  publishedAt: string;
  leaseEpoch: number;
}
