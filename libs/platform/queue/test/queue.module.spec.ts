import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type EventOf, JobName, type JobOf, QueueName } from '@repovault/contracts/jobs';
import { createLogger } from '@repovault/platform/logging';
import { PlatformHttpModule, ServiceRuntime } from '@repovault/platform/http';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { HandlesEvent, HandlesJob, type JobContext, JobProducer, QueueModule, RetryLaterError } from '../src';

const REDIS_URL = 'redis://127.0.0.1:6379';
const silent = new Writable({ write: (_c, _e, done) => done() });

function runtime() {
  return new ServiceRuntime('org-service', createLogger({ service: 'test', level: 'silent', destination: silent }));
}

async function waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('QueueModule', () => {
  it('runs jobs only after readiness passes, and delays without spending attempts', async () => {
    const seen: { id: string; attempts: number }[] = [];
    const events: string[] = [];
    let ready = false;

    @Injectable()
    class Handlers {
      private delayedOnce = false;
      @HandlesJob(JobName.OrganizationSync)
      async sync(data: JobOf<typeof JobName.OrganizationSync>, context: JobContext) {
        if (!this.delayedOnce) {
          this.delayedOnce = true;
          throw new RetryLaterError(50, 'credential service unreachable');
        }
        seen.push({ id: data.organizationId, attempts: context.attemptsMade });
      }
      @HandlesEvent('credential.invalidated')
      async invalidated(event: EventOf<'credential.invalidated'>) {
        events.push(event.credentialId);
      }
      @HandlesEvent('default-plan.created')
      async planCreated(event: EventOf<'default-plan.created'>) {
        events.push(event.planId);
      }
    }

    const rt = runtime();
    rt.readiness.add({ name: 'postgresql', check: async () => { if (!ready) throw new Error('down'); } });
    const prefix = `test-${randomUUID()}`;
    @Module({
      imports: [
        PlatformHttpModule.forRoot({ runtime: rt }),
        QueueModule.forRoot({ service: 'org-service', redisUrl: REDIS_URL, prefix }, [
          { name: QueueName.OrgSync, concurrency: 2 },
          { name: 'events-org-service', concurrency: 1 },
        ]),
      ],
      providers: [Handlers],
    })
    class AppModule {}

    const app = (await Test.createTestingModule({ imports: [AppModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    try {
      const producer = app.get(JobProducer);
      const org = randomUUID();
      await producer.enqueue({ name: JobName.OrganizationSync, data: { tenantId: randomUUID(), organizationId: org } }, { attempts: 1 });
      await new Promise((r) => setTimeout(r, 600));
      expect(seen).toHaveLength(0); // paused while PostgreSQL is "down"
      ready = true;
      await waitFor(() => seen.length === 1);
      // attempts: 1 and it was delayed once, yet it ran: the delay did not use the only attempt
      expect(seen[0]).toEqual({ id: org, attempts: 0 });

      const credentialId = randomUUID();
      await producer.publish({ type: 'credential.invalidated', tenantId: randomUUID(), organizationId: org, credentialId, reason: 'unauthorized' });
      await waitFor(() => events.length === 1);
      expect(events).toEqual([credentialId]);

      await expect(
        producer.enqueue({ name: JobName.OrganizationSync, data: { tenantId: 'nope', organizationId: org } }),
      ).rejects.toThrow(/tenantId/);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when a consumed job has no handler or two', async () => {
    @Injectable()
    class Twice {
      @HandlesJob(JobName.OrganizationSync) async a() { return 'a'; }
      @HandlesJob(JobName.OrganizationSync) async b() { return 'b'; }
    }
    @Injectable()
    class Stray {
      @HandlesJob(JobName.RepositoryBackup) async c() { return 'c'; }
    }
    const rt = runtime();
    const build = async (providers: unknown[]) => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          PlatformHttpModule.forRoot({ runtime: rt }),
          QueueModule.forRoot({ service: 'org-service', redisUrl: REDIS_URL, prefix: `test-${randomUUID()}` }, [
            { name: QueueName.OrgSync, concurrency: 1 },
            { name: 'events-org-service', concurrency: 1 },
          ]),
        ],
        providers: providers as never[],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      try {
        await app.init();
      } finally {
        await app.close();
      }
    };
    await expect(build([Twice])).rejects.toThrow(/organization.sync has two handlers: Twice.a and Twice.b/);
    await expect(build([Stray])).rejects.toThrow(/job organization.sync has no handler[\s\S]*repository.backup is not consumed by org-service[\s\S]*event credential.invalidated has no handler/);
  });
});
