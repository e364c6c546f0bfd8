import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { type AppName, APP_NAMES, appEntry, workspaceRoot } from './workspace';
import { freePort, waitUntil } from './ports';

export interface LocalStackOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  storageDir: string;
  logDir: string;
  adminToken: string;
  /** apps to start (default: all five) */
  apps?: readonly AppName[];
  /** fixed ports, e.g. 3000 for the gateway in `npm start`; free ports otherwise */
  ports?: Partial<Record<AppName, number>>;
  workers?: number;
  workerConcurrency?: number;
  allowPrivateProviderUrls?: boolean;
  env?: Record<string, string>;
  /** per-app extra environment */
  appEnv?: Partial<Record<AppName, Record<string, string>>>;
  /** echo each process's output to this stream as well as its log file */
  echo?: NodeJS.WritableStream;
}

export interface StackProcess {
  app: AppName;
  name: string;
  url: string;
  child: ChildProcess;
  log: string;
}

/**
 * The five services as real Node processes from dist/ (tests, the demo, benchmarks, `npm start`).
 * Each process gets its own ports; the stack gets its own queue prefix and storage directory.
 */
export class LocalStack {
  readonly processes: StackProcess[] = [];
  private readonly ports = new Map<AppName, number>();
  private workerCount = 0;

  private constructor(readonly options: LocalStackOptions) {}

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const stack = new LocalStack(options);
    mkdirSync(options.logDir, { recursive: true });
    for (const app of APP_NAMES) stack.ports.set(app, options.ports?.[app] ?? (await freePort()));
    const apps = options.apps ?? APP_NAMES;
    try {
      for (const app of apps.filter((a) => a !== 'backup-worker')) await stack.spawnApp(app);
      if (apps.includes('backup-worker')) {
        for (let i = 0; i < (options.workers ?? 1); i++) await stack.addWorker();
      }
      await Promise.all(stack.processes.map((p) => stack.waitReady(p)));
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get gatewayUrl(): string {
    return this.urlOf('api-gateway');
  }

  urlOf(app: AppName): string {
    return `http://127.0.0.1:${this.ports.get(app)}`;
  }

  /** Environment shared by every process of the stack. */
  private baseEnv(): Record<string, string> {
    const o = this.options;
    return {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      REPOVAULT_QUEUE_PREFIX: o.queuePrefix,
      STORAGE_DIR: o.storageDir,
      REPOVAULT_ADMIN_TOKEN: o.adminToken,
      REPOVAULT_ORG_SERVICE_URL: this.urlOf('org-service'),
      REPOVAULT_CREDENTIAL_SERVICE_URL: this.urlOf('credential-service'),
      REPOVAULT_PLAN_SERVICE_URL: this.urlOf('plan-service'),
      REPOVAULT_GATEWAY_PORT: String(this.ports.get('api-gateway')),
      REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: String(o.allowPrivateProviderUrls ?? true),
      REPOVAULT_WORKER_CONCURRENCY: String(o.workerConcurrency ?? 8),
      LOG_LEVEL: 'info',
      ...o.env,
    };
  }

  private async spawnApp(app: AppName, name: string = app, port = this.ports.get(app) ?? 0, extraEnv: Record<string, string> = {}): Promise<StackProcess> {
    const env = { ...this.baseEnv(), REPOVAULT_HTTP_PORT: String(port), ...this.options.appEnv?.[app], ...extraEnv };
    const log = join(this.options.logDir, `${name}.log`);
    const out: WriteStream = createWriteStream(log, { flags: 'a' });
    const child = spawn(process.execPath, [appEntry(app, 'main')], { env, cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        out.write(chunk);
        this.options.echo?.write(chunk);
      });
    }
    child.once('exit', () => out.end());
    const proc: StackProcess = { app, name, url: `http://127.0.0.1:${port}`, child, log };
    this.processes.push(proc);
    return proc;
  }

  /** Starts one more worker process (its own port for health and metrics). */
  async addWorker(extraEnv: Record<string, string> = {}): Promise<StackProcess> {
    const index = this.workerCount++;
    const port = index === 0 ? (this.ports.get('backup-worker') ?? (await freePort())) : await freePort();
    return this.spawnApp('backup-worker', `backup-worker-${index}`, port, extraEnv);
  }

  async waitReady(proc: StackProcess, timeoutMs = 60_000): Promise<void> {
    await waitUntil(
      async () => {
        if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}; see ${proc.log}`);
        try {
          return (await fetch(`${proc.url}/health/ready`)).status === 200;
        } catch {
          return false;
        }
      },
      { timeoutMs, intervalMs: 150, what: `${proc.name} to be ready (log: ${proc.log})` },
    );
  }

  /** Stops one process and starts it again (same port) with extra environment, e.g. new keys. */
  async restart(proc: StackProcess, extraEnv: Record<string, string> = {}): Promise<StackProcess> {
    await this.kill(proc, 'SIGTERM');
    this.processes.splice(this.processes.indexOf(proc), 1);
    const port = Number(new URL(proc.url).port);
    const next = await this.spawnApp(proc.app, proc.name, port, extraEnv);
    await this.waitReady(next);
    return next;
  }

  process(name: string): StackProcess {
    const proc = this.processes.find((p) => p.name === name);
    if (!proc) throw new Error(`no process named ${name}`);
    return proc;
  }

  workers(): StackProcess[] {
    return this.processes.filter((p) => p.app === 'backup-worker' && p.child.exitCode === null && p.child.signalCode === null);
  }

  async kill(proc: StackProcess, signal: NodeJS.Signals): Promise<void> {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.child.once('exit', () => resolve());
      proc.child.kill(signal);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(async (p) => {
        const exited = new Promise<void>((resolve) => (p.child.exitCode !== null || p.child.signalCode !== null ? resolve() : p.child.once('exit', () => resolve())));
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
