import { ApiPropertyOptional } from '@nestjs/swagger';
import { ListQuery } from '@repovault/platform/http';

/** The platform's list query, documented for the public API. */
export class PublicListQuery extends ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  declare limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  declare cursor?: string;
}
