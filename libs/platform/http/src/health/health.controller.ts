import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PublicRoute } from '../internal/route-access';
import { problemType } from '../problems/problem';
import { ReadinessRegistry } from './readiness';

@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** 503 naming every dependency that does not answer; recovers by itself when they come back. */
  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const report = await this.readiness.evaluate();
    if (report.ready) {
      response.status(200).json({ status: 'ok', checks: report.checks });
      return;
    }
    const down = Object.entries(report.checks).filter(([, c]) => c.status === 'down').map(([name]) => name);
    response
      .status(503)
      .type('application/problem+json')
      .send(JSON.stringify({
        type: problemType('dependency-unavailable'),
        title: 'Service unavailable',
        status: 503,
        detail: `Not ready: ${down.join(', ')} unreachable.`,
        checks: report.checks,
      }));
  }
}
