import { Inject, Injectable } from '@nestjs/common';
import { InternalHttpClient, type InternalRequest, relayUpstreamError } from '@repovault/platform/http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/** A service's internal API as the gateway calls it: 4xx answers are relayed to the client. */
export class Upstream {
  constructor(private readonly client: InternalHttpClient) {}

  get<T>(path: string, request: InternalRequest): Promise<T> {
    return this.client.get<T>(path, request).catch(relayUpstreamError);
  }
  post<T>(path: string, request: InternalRequest): Promise<T> {
    return this.client.post<T>(path, request).catch(relayUpstreamError);
  }
  put<T>(path: string, request: InternalRequest): Promise<T> {
    return this.client.put<T>(path, request).catch(relayUpstreamError);
  }
  patch<T>(path: string, request: InternalRequest): Promise<T> {
    return this.client.patch<T>(path, request).catch(relayUpstreamError);
  }
  delete<T>(path: string, request: InternalRequest): Promise<T> {
    return this.client.delete<T>(path, request).catch(relayUpstreamError);
  }
  stream(path: string, request: InternalRequest): Promise<Response> {
    return this.client.stream(path, request).catch(relayUpstreamError);
  }
}

@Injectable()
export class UpstreamClients {
  readonly org: Upstream;
  readonly credential: Upstream;
  readonly plan: Upstream;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const token = config.REPOVAULT_SERVICE_TOKEN;
    this.org = new Upstream(new InternalHttpClient('org-service', config.REPOVAULT_ORG_SERVICE_URL, token));
    this.credential = new Upstream(new InternalHttpClient('credential-service', config.REPOVAULT_CREDENTIAL_SERVICE_URL, token));
    this.plan = new Upstream(new InternalHttpClient('plan-service', config.REPOVAULT_PLAN_SERVICE_URL, token));
  }
}
