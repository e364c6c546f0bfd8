import { ParseUUIDPipe } from '@nestjs/common';
import { ProblemException } from './problems/problem';

/** Path ids must be UUIDs; anything else is a 400 that says so. */
export const UuidParam = () =>
  new ParseUUIDPipe({ exceptionFactory: () => ProblemException.badRequest('The id in the path must be a UUID.') });
