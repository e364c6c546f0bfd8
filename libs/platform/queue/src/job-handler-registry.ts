import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  type DomainEvent, type DomainEventType, EVENT_SUBSCRIBERS, JobName, type JobPayloads, assertValidJob, eventsQueueName,
  jobArrivesOn, jobsHandledBy,
} from '@repovault/contracts/jobs';
import { EVENT_HANDLER_KEY, JOB_HANDLER_KEY, type JobContext, PermanentJobError } from './job-handlers';
import { CONSUMED_QUEUES, QUEUE_SETTINGS, type QueueSettings } from './queue-settings';

type Handler = (data: unknown, context: JobContext) => Promise<unknown>;

interface Found {
  owner: string;
  handler: Handler;
}

/**
 * Finds @HandlesJob / @HandlesEvent methods and refuses to start unless every job and every
 * subscribed event of this service has exactly one handler, and no handler serves something the
 * service does not consume.
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly jobs = new Map<string, Found>();
  private readonly events = new Map<string, Found>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @Inject(CONSUMED_QUEUES) private readonly consumed: readonly string[],
  ) {}

  onModuleInit(): void {
    const problems: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const owner = `${instance.constructor.name}.${method}`;
        const handler = (fn as Handler).bind(instance);
        const job = this.reflector.get<JobName | undefined>(JOB_HANDLER_KEY, fn);
        if (job) this.add(this.jobs, job, { owner, handler }, problems);
        const event = this.reflector.get<DomainEventType | undefined>(EVENT_HANDLER_KEY, fn);
        if (event) this.add(this.events, event, { owner, handler }, problems);
      }
    }
    problems.push(...this.coverageProblems());
    if (problems.length > 0) throw new Error(`job handlers of ${this.settings.service} are inconsistent:\n  ${problems.join('\n  ')}`);
  }

  private add(map: Map<string, Found>, key: string, found: Found, problems: string[]): void {
    const existing = map.get(key);
    if (existing) problems.push(`${key} has two handlers: ${existing.owner} and ${found.owner}`);
    else map.set(key, found);
  }

  /** Every job that can arrive on a consumed queue needs its handler; handlers for nothing are mistakes too. */
  private coverageProblems(): string[] {
    const service = this.settings.service;
    const problems: string[] = [];
    const expectedJobs = new Set<string>(
      jobsHandledBy(service).filter((name) => this.consumed.some((queue) => jobArrivesOn(name, queue, service))),
    );
    for (const name of expectedJobs) if (!this.jobs.has(name)) problems.push(`job ${name} has no handler`);
    for (const name of this.jobs.keys()) if (!expectedJobs.has(name)) problems.push(`job ${name} is not consumed by ${service}`);
    const consumesEvents = this.consumed.includes(eventsQueueName(service));
    const expectedEvents = new Set(
      (Object.keys(EVENT_SUBSCRIBERS) as DomainEventType[]).filter((t) => consumesEvents && EVENT_SUBSCRIBERS[t].includes(service)),
    );
    for (const type of expectedEvents) if (!this.events.has(type)) problems.push(`event ${type} has no handler`);
    for (const type of this.events.keys()) if (!expectedEvents.has(type as DomainEventType)) problems.push(`event ${type} is not subscribed by ${service}`);
    return problems;
  }

  subscribesToEvents(): boolean {
    return this.events.size > 0;
  }

  /** Validates the payload again (the producer did too) and runs its handler. */
  async dispatch(name: string, data: unknown, context: JobContext): Promise<unknown> {
    try {
      assertValidJob(name as JobName, data);
    } catch (error) {
      throw new PermanentJobError((error as Error).message);
    }
    if (name === JobName.DomainEvent) {
      const event = data as DomainEvent;
      const found = this.events.get(event.type);
      if (!found) throw new PermanentJobError(`no handler for event ${event.type}`);
      return found.handler(event, context);
    }
    const found = this.jobs.get(name);
    if (!found) throw new PermanentJobError(`no handler for job ${name}`);
    return found.handler(data as JobPayloads[JobName], context);
  }
}
