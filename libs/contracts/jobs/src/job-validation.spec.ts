import { randomUUID } from 'node:crypto';
import { JobName, assertValidJob, jobsHandledBy, queueForJob, ServiceName, workQueueName } from './index';

describe('job contracts', () => {
  it('accepts a payload made of the listed ids', () => {
    expect(() => assertValidJob(JobName.RunStart, { tenantId: randomUUID(), runId: randomUUID() })).not.toThrow();
  });

  it('refuses unknown fields so nothing but ids (never a secret) travels in a job', () => {
    expect(() =>
      assertValidJob(JobName.RunStart, { tenantId: randomUUID(), runId: randomUUID(), token: 'ghp_x' }),
    ).toThrow(/unexpected field "token"/);
  });

  it('carries a restore by its id only', () => {
    expect(() => assertValidJob(JobName.RestoreRun, { tenantId: randomUUID(), restoreId: randomUUID() })).not.toThrow();
    expect(() => assertValidJob(JobName.RestoreRun, { tenantId: randomUUID(), restoreId: randomUUID(), confirm: 'acme/widgets' })).toThrow(/unexpected field "confirm"/);
  });

  it('refuses a malformed id', () => {
    expect(() => assertValidJob(JobName.RepositoryBackup, { tenantId: 'x', runId: randomUUID(), repositoryId: randomUUID() }))
      .toThrow(/tenantId/);
  });

  it('validates domain events by type', () => {
    const ok = { type: 'organization.created', tenantId: randomUUID(), organizationId: randomUUID(), defaultWorkerPool: 'default' };
    expect(() => assertValidJob(JobName.DomainEvent, ok)).not.toThrow();
    expect(() => assertValidJob(JobName.DomainEvent, { ...ok, type: 'nope' })).toThrow(/unknown event type/);
    expect(() => assertValidJob(JobName.DomainEvent, { ...ok, defaultWorkerPool: 'Bad Pool' })).toThrow(/defaultWorkerPool/);
  });

  it('routes pool jobs to the pool queue and names one consumer per job', () => {
    expect(queueForJob(JobName.RepositoryBackup, { pool: 'eu' })).toBe(workQueueName('eu'));
    expect(() => queueForJob(JobName.RepositoryBackup, {})).toThrow(/pool/);
    expect(queueForJob(JobName.RestoreRun, { pool: 'eu' })).toBe(workQueueName('eu'));
    expect(jobsHandledBy(ServiceName.BackupWorker).sort()).toEqual(
      [JobName.RepositoryBackup, JobName.RestoreRun, JobName.RunStart].sort(),
    );
    expect(() => workQueueName('Bad Pool')).toThrow();
  });
});
