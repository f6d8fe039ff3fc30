import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ROLE_PERMISSIONS, ROLES } from './auth/permissions';

/** Where the OpenAPI document is served (no credential needed: it holds no data). */
export const OPENAPI_JSON_PATH = 'api/v1/openapi.json';
export const OPENAPI_UI_PATH = 'api/v1/docs';

/** The OpenAPI 3 document, generated from the controllers and DTOs at start. */
export function setUpOpenApi(app: INestApplication): void {
  const roles = ROLES.map((r) => `- **${r}**: ${[...ROLE_PERMISSIONS[r]].filter((p) => !p.startsWith('undeclared')).join(', ')}`).join('\n');
  const config = new DocumentBuilder()
    .setTitle('IoT identity suite: operator API')
    .setDescription(
      'The security team\'s API. Every route but health and this document needs `Authorization: Bearer iis_…`.\n\n' +
        'No credential, or an unknown, expired or revoked one: 401. A role without the permission: 403, written to the audit trail. ' +
        'Too many failed attempts from one address: 429 with Retry-After. Every mutating call is written to the hash-chained audit trail.\n\n' +
        `Roles and permissions:\n${roles}`,
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an operator token, iis_…' })
    .build();
  const document = withAuthAnswers(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'api/v1/openapi.yaml' });
}

/** Health and the document itself are the only routes without a credential. */
const PUBLIC_PATHS = ['/api/v1/health'];

/**
 * The guard runs on every route (APP_GUARD), so every route but the public ones needs the
 * bearer scheme and can answer 401, 403 and 429, whether or not its controller said so with
 * @RequirePermission. Filled in here so that the document never forgets it.
 */
function withAuthAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (PUBLIC_PATHS.includes(path)) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      op.security ??= [{ bearer: [] }];
      op.responses['401'] ??= { description: 'no credential, or an unknown, expired or revoked one' };
      op.responses['403'] ??= { description: 'the role lacks the permission (the refusal is audited)' };
      op.responses['429'] ??= { description: 'too many failed authentication attempts from this address' };
    }
  }
  return document;
}
