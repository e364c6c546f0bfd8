import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { titleFor } from '@repovault/platform/http';
import { FieldErrorView, ProblemDetailsView } from './problem.dto';

/** Documents the problem+json answers a route can give. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsView, FieldErrorView),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: titleFor(status),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsView) } } },
      }),
    ),
  );
}
