import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The public API's OpenAPI document, generated from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('RepoVault API')
    .setDescription(
      'Backups of GitHub, GitLab, Bitbucket Cloud and Bitbucket Data Center organizations. ' +
        'Authenticate with "Authorization: Bearer <api key>". Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'tenant API key' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Token', description: 'operator token (REPOVAULT_ADMIN_TOKEN)' }, 'operator')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  // health and metrics are operational endpoints, not part of the public contract
  for (const path of Object.keys(document.paths)) if (!path.startsWith('/v1/')) delete document.paths[path];
  return document;
}

/** Serves the document at /openapi.json and the interactive page at /docs. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml', customSiteTitle: 'RepoVault API' });
}
