/** credential-service's claim protocol: a rate-limit token before every provider call. */
export type ClaimPurpose = 'backup' | 'restore' | 'discovery' | 'validation';

export interface ClaimRequest {
  purpose: ClaimPurpose;
  organizationId: string;
  /** provider budget: GitHub core, search, graphql; git for git/LFS traffic */
  resource: string;
  runId?: string;
  planId?: string;
  /** keep the identity that holds an ETag when it has budget */
  preferIdentity?: string;
  /** wait at most this long for a token before answering with a reservation */
  maxWaitMs?: number;
}

export type ClaimResponse =
  | { granted: true; leaseId: string; budgetKey: string; credentialId: string; identityKey: string; expiresAt: string }
  | { granted: false; retryAt: string; reason: string };

export interface ClaimCompletion {
  status: number;
  /** the provider's response headers that matter for budgets (x-ratelimit-*, retry-after, …) */
  headers: Record<string, string>;
  /** the request was conditional and answered 304 by an authorized call */
  notModified?: boolean;
  /** a refusal whose body names a secondary (abuse/concurrency) limit */
  secondaryLimit?: boolean;
  /** how long the caller waited for this lease (throttle report) */
  waitedMs?: number;
}

export interface LeaseRef {
  leaseId: string;
  budgetKey: string;
}

export interface CredentialUsage {
  total: number;
  byCredential: Record<string, number>;
  waitMs: number;
  refusals: number;
}

/** One limit a call must fit in (see the budgets lib). */
export interface BudgetKeyView {
  key: string;
  model: 'window' | 'sliding' | 'bucket' | 'unmetered';
  concurrency: number;
  windowMs: number;
  defaultLimit: number;
  reserveFraction: number;
  refillPerMs: number;
}

/**
 * What a worker needs to claim on its own, straight from the shared Redis budgets (one script call
 * instead of a round trip): the credentials the call may use and the budgets each draws from.
 */
export interface ClaimCandidates {
  provider: 'github' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';
  ledger: { prefix: string; leaseTtlMs: number; burstFraction: number };
  candidates: { credentialId: string; identityKey: string; keys: BudgetKeyView[] }[];
  /** how long the answer may be reused */
  ttlMs: number;
}
