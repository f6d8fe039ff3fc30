import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'api/v1/openapi.yaml' });
}
